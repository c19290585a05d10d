/** A grey placeholder block with a shimmer (still when the user prefers reduced motion). */
export function Skeleton({ width = '100%', height = '1rem', className = '' }: { width?: string; height?: string; className?: string }) {
  return <span className={`skeleton ${className}`} style={{ width, height }} aria-hidden="true" />;
}

/** A loading page: a title bar, a lede line and a table-like block; announced once as "Loading …". */
export function PageSkeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="page-skeleton">
      <span className="sr-only">Loading {label}…</span>
      <Skeleton width="16rem" height="1.8rem" />
      <Skeleton width="28rem" height="1rem" />
      <div className="skeleton-table">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} height="2.2rem" />
        ))}
      </div>
    </div>
  );
}
