/**
 * Markdown to HTML (GFM) with highlighted code blocks. The HTML is not sanitized here:
 * the Markdown component passes it through DOMPurify before it reaches the page.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';
import { Marked, Renderer } from 'marked';

for (const [name, language] of Object.entries({
  bash,
  cpp,
  javascript,
  json,
  python,
  shell,
  sql,
  typescript,
  yaml
})) {
  hljs.registerLanguage(name, language);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      const known = language && hljs.getLanguage(language) ? language : null;
      const body = known
        ? hljs.highlight(text, { language: known, ignoreIllegals: true }).value
        : escapeHtml(text);
      const label = known ? ` language-${known}` : '';
      return `<pre><code class="hljs${label}">${body}</code></pre>\n`;
    },
    // GitHub's classes on task lists ("- [ ] item"), which are styled without bullets.
    list(token) {
      const html = Renderer.prototype.list.call(this, token);
      return token.items.some(item => item.task)
        ? html.replace(/^<(ul|ol)/, '<$1 class="contains-task-list"')
        : html;
    },
    listitem(item) {
      const html = Renderer.prototype.listitem.call(this, item);
      return item.task ? html.replace(/^<li>/, '<li class="task-list-item">') : html;
    }
  }
});

/** The HTML of a note (unsanitized). */
export function markdownHtml(source: string): string {
  return marked.parse(source) as string;
}
