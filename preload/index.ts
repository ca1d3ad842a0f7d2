import { contextBridge } from 'electron';
import { createCareShellApi } from './contract.js';
import { ipcTransport } from './ipc-transport.js';

// The only thing the page gets: one object of plain functions (no ipcRenderer, no Node).
contextBridge.exposeInMainWorld('careshell', createCareShellApi(ipcTransport));
