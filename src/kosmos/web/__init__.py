"""Web shell: templates, i18n, CSRF, request limits shared by every context's pages."""
