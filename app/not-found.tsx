import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="centered">
      <h1>Page not found</h1>
      <p>That page does not exist, or it is not in your workspace.</p>
      <p>
        <Link href="/">Go to the console home</Link>
      </p>
    </main>
  );
}
