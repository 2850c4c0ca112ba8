import MarkdownIt from 'markdown-it';
import { highlightCode } from './codeHighlight';
import { isSafeLink } from './links';

// Renders untrusted chat markdown to HTML that is safe to assign to innerHTML: raw HTML is
// escaped (shown as text), links and images are kept only when `isSafeLink` accepts them, and
// code blocks get a toolbar with their language and a copy button (handled by delegation in the
// webview; no inline handlers). Highlighted code is escaped text in class-only spans.

export type RenderMarkdown = (source: string) => string;

export function createMarkdownRenderer(): RenderMarkdown {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
  md.validateLink = isSafeLink;
  const utils = md.utils;
  const escapeHtml = (text: string) => utils.escapeHtml(text);
  const rules = md.renderer.rules;
  rules.fence = (tokens, index) => {
    const { content, info } = tokens[index];
    const language = utils.unescapeAll(info).trim().split(/\s+/)[0] ?? '';
    const { html, label } = highlightCode(content, language);
    const code = html === '' ? escapeHtml(content) : html;
    const languageClass = html === '' ? '' : ` class="hljs language-${escapeHtml(language)}"`;
    return codeBlock(escapeHtml(label), `<pre><code${languageClass}>${code}</code></pre>\n`);
  };
  rules.code_block = (tokens, index) => codeBlock('', `<pre><code>${escapeHtml(tokens[index].content)}</code></pre>\n`);
  return (source) => md.render(source);
}

/** `label` is HTML (already escaped). The copy button is always shown, so keyboard users see it too. */
function codeBlock(label: string, pre: string): string {
  const copy = `<button type="button" class="copy-code" aria-label="Copy code" title="Copy code">Copy</button>`;
  return `<div class="code-block"><div class="code-toolbar"><span class="code-language">${label}</span>${copy}</div>${pre}</div>\n`;
}
