/** File names of saved results: `<prompt slug>-<task id>-<n>.<ext>`. */
import { downloadFileName, imageExtension, promptSlug } from '../../src/core/util/download-name';

describe('promptSlug', () => {
  it.each([
    ['Lighthouse at dusk', 'lighthouse-at-dusk'],
    ['  A lighthouse — at DUSK!!  ', 'a-lighthouse-at-dusk'],
    ['Crème brûlée, São Paulo', 'creme-brulee-sao-paulo'],
    ['../../etc/passwd', 'etc-passwd'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['灯塔', 'image'],
    ['🌅🌅', 'image'],
    ['', 'image'],
    ['---', 'image'],
  ])('%j → %j', (prompt, slug) => {
    expect(promptSlug(prompt)).toBe(slug);
    expect(promptSlug(prompt)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('keeps at most 40 characters, cut at a word break', () => {
    const slug = promptSlug('An extraordinarily detailed watercolour painting of a lighthouse at dusk');
    expect(slug).toBe('an-extraordinarily-detailed-watercolour');
    expect(slug.length).toBeLessThanOrEqual(40);
    const unbroken = promptSlug('x'.repeat(100));
    expect(unbroken).toBe('x'.repeat(40));
  });
});

describe('imageExtension', () => {
  it.each([
    ['image/png', undefined, 'png'],
    ['image/jpeg; charset=binary', undefined, 'jpg'],
    ['IMAGE/WEBP', undefined, 'webp'],
    ['image/avif', undefined, 'avif'],
    ['application/octet-stream', 'https://files.toapis.com/generated/a.JPEG?sig=1', 'jpg'],
    [undefined, 'https://files.toapis.com/generated/a.webp', 'webp'],
    [undefined, 'https://files.toapis.com/generated/a.html', 'png'],
    [undefined, 'https://files.toapis.com/generated/a', 'png'],
    [undefined, 'not a url', 'png'],
    [undefined, undefined, 'png'],
  ])('%s + %s → %s', (type, url, ext) => {
    expect(imageExtension(type, url)).toBe(ext);
  });
});

describe('downloadFileName', () => {
  it('joins the prompt slug, the task id and the 1-based index', () => {
    expect(downloadFileName({ prompt: 'Lighthouse at dusk', taskId: 'task_01ABC', index: 1, contentType: 'image/png' })).toBe(
      'lighthouse-at-dusk-task_01ABC-1.png',
    );
    expect(downloadFileName({ prompt: '灯塔', taskId: 'task_1', index: 3, url: 'https://h/x.jpg' })).toBe('image-task_1-3.jpg');
  });

  it('drops what a task id may not carry into a file name, and leaves out an unknown id', () => {
    expect(downloadFileName({ prompt: 'a', taskId: 'ns:../x y', index: 2 })).toBe('a-nsxy-2.png');
    expect(downloadFileName({ prompt: 'a', taskId: undefined, index: 2 })).toBe('a-2.png');
    expect(downloadFileName({ prompt: 'a', taskId: 't', index: 0 })).toBe('a-t-1.png');
  });
});
