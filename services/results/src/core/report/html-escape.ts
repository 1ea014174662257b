const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content and attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replaceAll(/[&<>"']/g, (char) => replacements[char] ?? char);
}
