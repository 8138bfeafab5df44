import type { ReactNode } from 'react';

export const metadata = { title: 'Image kit in Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <main style={{ maxWidth: 720, margin: '2rem auto', padding: '0 1rem', display: 'grid', gap: '1rem' }}>{children}</main>
      </body>
    </html>
  );
}
