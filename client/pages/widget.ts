/**
 * The widget demo page: the widget itself, bundled into the page (the same code as /widget.js), and embed code
 * that names this server's real address, so it can be copied as is.
 */
import { defineChorusSentiment } from '../widget/define.ts';

const base = new URL(import.meta.env.BASE_URL, location.href);
defineChorusSentiment(base.href);

const scriptUrl = new URL('widget.js', base).href;
const script = `<script type="module" src="${scriptUrl}"></script>`;
const snippets: Record<string, string> = {
  'embed-basic': `${script}\n<chorus-sentiment></chorus-sentiment>`,
  'embed-local': `${script}\n<chorus-sentiment mode="local"></chorus-sentiment>`,
  'embed-for': `${script}\n<label for="review">Your review</label>\n<textarea id="review"></textarea>\n<chorus-sentiment for="review"></chorus-sentiment>`,
};

for (const [id, code] of Object.entries(snippets)) {
  const element = document.getElementById(id);
  if (element) element.textContent = code;
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const code = snippets[button.dataset.copy ?? ''] ?? '';
    try {
      await navigator.clipboard.writeText(code);
      button.textContent = 'Copied';
    } catch {
      // Clipboard access needs a secure context and permission; selecting the code lets the person copy it.
      const target = document.getElementById(button.dataset.copy ?? '');
      if (target) getSelection()?.selectAllChildren(target);
      button.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  });
}
