"""无纸化维保 pages, one module per subject: items, groups, plans."""
