/* Keyboard use of the atlas's admin forms, loaded on every admin page (no inline code: strict CSP).
 *
 * - Enter in a text box of a change form does nothing: a half-typed spell is never saved by
 *   accident. The form is saved with its buttons (or Enter on a focused button).
 * - Typing into a focused autocomplete box opens it and searches from the first keystroke,
 *   instead of waiting for Enter or Space.
 */
'use strict';
{
    // The input types a browser submits its form from on Enter ("implicit submission").
    const SUBMITTING_TYPES = new Set([
        'text', 'search', 'url', 'tel', 'email', 'password', 'number',
        'date', 'month', 'week', 'time', 'datetime-local',
    ]);

    function isEditorForm(form) {
        // Change and add forms are named after their model ("membership_form"); the other forms
        // that opt in carry data-no-enter-submit. Login and list searches keep Enter.
        return Boolean(form) && (/_form$/.test(form.id) || form.hasAttribute('data-no-enter-submit'));
    }

    document.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' || event.isComposing) {
            return;
        }
        const target = event.target;
        if (target instanceof HTMLInputElement && SUBMITTING_TYPES.has(target.type) && isEditorForm(target.form)) {
            event.preventDefault();
        }
    }, true);

    function isPrintable(event) {
        return event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
    }

    document.addEventListener('keydown', (event) => {
        const selection = event.target.closest && event.target.closest('.select2-selection');
        if (!selection || !isPrintable(event) || typeof django === 'undefined' || !django.jQuery) {
            return;
        }
        const container = selection.closest('.select2-container');
        const select = container && container.previousElementSibling;
        if (!select || select.tagName !== 'SELECT' || !django.jQuery(select).data('select2')) {
            return;
        }
        event.preventDefault();
        django.jQuery(select).select2('open');
        const search = document.querySelector('.select2-container--open .select2-search__field');
        if (search) {
            search.value += event.key;
            search.dispatchEvent(new Event('input', {bubbles: true}));
        }
    });
}
