'use client';
import * as React from 'react';
import { GeneratorContext } from '../../hooks/GeneratorContext';
import { en } from '../../labels/en';

/* -------------------------------------------------------------------------------------------------
 * GeneratorErrorBoundary
 * -----------------------------------------------------------------------------------------------*/

/** What a custom `fallback` function receives. */
export interface GeneratorErrorBoundaryFallbackProps {
  /** What was thrown. */
  error: unknown;
  /** Clears the error and renders the children again. */
  reset: () => void;
}

export interface GeneratorErrorBoundaryProps {
  /** The component inside, named in the console message (`[gen] <name> crashed:`) and in `data-component`. */
  name: string;
  /**
   * Shown instead of the crashed component. A function receives the error and `reset`.
   * @default a `role="alert"` box with `labels.componentCrashed` and a "Try again" button
   */
  fallback?: React.ReactNode | ((props: GeneratorErrorBoundaryFallbackProps) => React.ReactNode);
  /** Called once per crash, after the console message (error reporting). Its own errors are swallowed. */
  onError?: (error: unknown, info: React.ErrorInfo) => void;
  children?: React.ReactNode;
}

interface GeneratorErrorBoundaryState {
  /** Lifecycle as one string: `ok`, or `error` after a render crash until `reset`. */
  state: 'ok' | 'error';
  error: unknown;
}

/**
 * Keeps a crash in one component from taking down the page: the component is replaced by a
 * recoverable message while its siblings keep working. Nothing typed is lost, because every value
 * lives in the store; "Try again" remounts the component, which reads it back.
 *
 * Each ready-made composition (`PromptForm`, `AspectRatioPicker`, `ReferenceTray`, `TaskProgress`)
 * is wrapped in one; wrap your own arrangements of parts the same way.
 *
 * @selector .gen-ErrorBoundary[data-state="error"] — the default fallback
 * @selector [data-component] — the `name` of the crashed component
 */
// A class component: React offers error boundaries only as classes (react.dev "Catching rendering
// errors with an error boundary").
class GeneratorErrorBoundary extends React.Component<GeneratorErrorBoundaryProps, GeneratorErrorBoundaryState> {
  override state: GeneratorErrorBoundaryState = { state: 'ok', error: undefined };

  static getDerivedStateFromError(error: unknown): GeneratorErrorBoundaryState {
    return { state: 'error', error };
  }

  override componentDidCatch(error: unknown, info: React.ErrorInfo): void {
    console.error(`[gen] ${this.props.name} crashed:`, error);
    try {
      this.props.onError?.(error, info);
    } catch {
      // a host's reporter must not turn one crash into two
    }
  }

  reset = (): void => {
    this.setState({ state: 'ok', error: undefined });
  };

  override render(): React.ReactNode {
    if (this.state.state === 'ok') return this.props.children;
    const { fallback, name } = this.props;
    if (typeof fallback === 'function') return fallback({ error: this.state.error, reset: this.reset });
    if (fallback !== undefined) return fallback;
    return <ErrorBoundaryFallback name={name} onReset={this.reset} />;
  }
}

/* -------------------------------------------------------------------------------------------------
 * Private: the default fallback
 * -----------------------------------------------------------------------------------------------*/

interface ErrorBoundaryFallbackProps {
  name: string;
  onReset: () => void;
}

function ErrorBoundaryFallback({ name, onReset }: ErrorBoundaryFallbackProps) {
  // Read the context directly (not `useLabels`): the fallback must render even outside a provider,
  // which is itself one way a component can crash.
  const labels = React.useContext(GeneratorContext)?.labels ?? en;
  return (
    <div role="alert" data-state="error" data-component={name} className="gen-ErrorBoundary">
      <p className="gen-ErrorBoundary-message">
        {safeText(labels.componentCrashed, en.componentCrashed)}
      </p>
      <button type="button" className="gen-button gen-ErrorBoundary-retry" onClick={onReset}>
        {safeText(labels.tryAgain, en.tryAgain)}
      </button>
    </div>
  );
}

/** A host label that is not a string (a broken override) must not crash the fallback too. */
function safeText(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

export { GeneratorErrorBoundary, GeneratorErrorBoundary as ErrorBoundary };
