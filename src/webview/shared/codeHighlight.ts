// Syntax highlighting for code blocks in chat messages: highlight.js's core with a fixed set of common
// languages, bundled into the webview (no remote code). It emits only escaped text and
// <span class="hljs-…"> elements, which media/chat/chat.css colours with VS Code theme variables.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, markdown, php, plaintext,
  powershell, python, ruby, rust, shell, sql, swift, typescript, xml, yaml,
};

const highlighter = hljs.newInstance();
for (const [name, language] of Object.entries(LANGUAGES)) {
  highlighter.registerLanguage(name, language);
}
// Names people write after ``` that highlight.js does not know as aliases.
highlighter.registerAliases(['sh', 'zsh', 'console'], { languageName: 'bash' });
highlighter.registerAliases(['toml'], { languageName: 'ini' });
highlighter.registerAliases(['text', 'txt'], { languageName: 'plaintext' });

export interface HighlightedCode {
  /** HTML: escaped code with class-only spans; empty when the language is not one we highlight. */
  html: string;
  /** The language as people name it ("TypeScript"); the fence's own word when unknown; empty when none. */
  label: string;
}

/** Highlights `code` as `language` (a fence's info word, e.g. "ts"); never guesses a language. */
export function highlightCode(code: string, language: string): HighlightedCode {
  const known = language === '' ? undefined : highlighter.getLanguage(language);
  if (!known) {
    return { html: '', label: language };
  }
  const { value } = highlighter.highlight(code, { language, ignoreIllegals: true });
  return { html: value, label: known.name ?? language };
}
