// Text of a PDF, with pdftotext from Debian's poppler-utils.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pdfText(buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'gongshi-pdf-'));
  try {
    const file = join(dir, 'page.pdf');
    writeFileSync(file, buffer);
    const r = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
    if (r.error) throw new Error(`pdftotext: ${r.error.message} (apt-get install poppler-utils)`);
    if (r.status !== 0) throw new Error(`pdftotext exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text without any white space: pdftotext breaks CJK lines anywhere. */
export const squash = (s) => s.replace(/\s+/g, '');
