import React from 'react';

/**
 * Whether the element has come near the visible part of the page (within `margin`) at
 * least once: what only such an element needs (its images, an artifact fetched over a
 * widget comm) waits until then, so a long list fetches only the rows someone scrolls to.
 */
export function useVisible(ref: React.RefObject<HTMLElement>, margin = '200px'): boolean {
  const [visible, setVisible] = React.useState(false);
  React.useEffect(() => {
    const element = ref.current;
    if (visible || !element) {
      return;
    }
    const observer = new IntersectionObserver(
      entries => {
        if (entries.some(entry => entry.isIntersecting)) {
          setVisible(true);
        }
      },
      { rootMargin: margin }
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible, margin]);
  return visible;
}
