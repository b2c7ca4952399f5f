import assert from 'node:assert/strict';
import { test } from 'node:test';

import { markdownHtml } from '../components/markdownHtml';

test('code blocks of known languages are highlighted, others escaped', () => {
  const html = markdownHtml('```python\ndef f(x):\n    return "<b>"\n```\n\n```\n<script>1</script>\n```');
  assert.match(html, /<code class="hljs language-python"><span class="hljs-keyword">def<\/span>/);
  assert.match(html, /&lt;b&gt;/);
  assert.match(html, /<code class="hljs">&#60;script&#62;1&#60;\/script&#62;<\/code>/);
});

test('GFM tables and task lists render', () => {
  const html = markdownHtml('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done');
  assert.match(html, /<table>/);
  assert.match(html, /<input checked="" disabled="" type="checkbox"/);
});

test('task lists carry classes that style them without bullets; other lists do not', () => {
  const html = markdownHtml('- [ ] todo\n- [x] done\n\n1. plain');
  assert.match(html, /<ul class="contains-task-list">/);
  assert.match(html, /<li class="task-list-item"><input disabled="" type="checkbox"> todo/);
  assert.match(html, /<ol>\n<li>plain<\/li>/);
});
