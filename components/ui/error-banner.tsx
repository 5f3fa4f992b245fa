/** A readable error message; `children` may hold a retry action. */
export function ErrorBanner({ message, children, testId = "error" }: { message: string | null; children?: React.ReactNode; testId?: string }) {
  if (!message) return null;
  return (
    <div
      role="alert"
      data-testid={testId}
      className="flex items-start justify-between gap-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <span>{message}</span>
      {children}
    </div>
  );
}
