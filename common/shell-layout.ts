/**
 * The strips the renderer draws above the EHR view in the signed-in screen: the session header (who is signed in,
 * time left) and, under it, the banner (notices, break-glass). The renderer sizes them from these numbers
 * (renderer/main.tsx sets them as CSS variables) and the Electron shell places the EHR view below them
 * (main/shell/ehr-views.ts), so the EHR view never covers the header.
 */
export const SESSION_HEADER_HEIGHT_PX = 78;
export const SESSION_BANNER_HEIGHT_PX = 80;
