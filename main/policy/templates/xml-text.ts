/** Text or an attribute value inside generated XML. */
export const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An XML comment's text: "--" may not appear inside one. */
export const xmlComment = (text: string) => `<!-- ${text.replace(/--/g, '- -')} -->`;
