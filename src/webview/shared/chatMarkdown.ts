import MarkdownIt from 'markdown-it';
import { isSafeLink } from './links';

// Renders untrusted chat markdown to HTML that is safe to assign to innerHTML: raw HTML is
// escaped (shown as text), links and images are kept only when `isSafeLink` accepts them, and
// code blocks get a copy button (handled by delegation in the webview; no inline handlers).

export type RenderMarkdown = (source: string) => string;

const COPY_BUTTON = '<button type="button" class="copy-code" title="Copy code">Copy</button>';

export function createMarkdownRenderer(): RenderMarkdown {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
  md.validateLink = isSafeLink;
  const rules = md.renderer.rules;
  const fence = rules.fence;
  const codeBlock = rules.code_block;
  if (fence && codeBlock) {
    rules.fence = (...args) => `<div class="code-block">${COPY_BUTTON}${fence(...args)}</div>`;
    rules.code_block = (...args) => `<div class="code-block">${COPY_BUTTON}${codeBlock(...args)}</div>`;
  }
  return (source) => md.render(source);
}
