import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SESSION_BANNER_HEIGHT_PX, SESSION_HEADER_HEIGHT_PX } from '../common/shell-layout';
import { App } from './App';
import './styles.css';

// The Electron shell places the EHR view below these strips: one number for both sides.
document.documentElement.style.setProperty('--session-header-height', `${SESSION_HEADER_HEIGHT_PX}px`);
document.documentElement.style.setProperty('--session-banner-height', `${SESSION_BANNER_HEIGHT_PX}px`);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={window.careshell} />
  </StrictMode>,
);
