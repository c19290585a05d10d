/** Tells a user, in place of a form or page, why their role may not do this (same words the server uses). */
export function RefusalNote({ message }: { message: string }) {
  return (
    <p className="note" role="note">
      {message}
    </p>
  );
}
