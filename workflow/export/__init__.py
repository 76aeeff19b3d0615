"""The export path: recipients + letter + catalogues -> one .docx per recipient.

- :mod:`.recipients` -- ``recipients.csv`` -> :class:`~.recipients.Recipient` (CLDR lookups)
- :mod:`.model` -- letter + catalogue + recipient -> the localised :class:`~.model.LetterModel`
- :mod:`.html` -- LetterModel -> HTML (the preview)
- :mod:`.docx` -- LetterModel -> .docx bytes (the only python-docx user besides :mod:`.oxml`)
- :mod:`.oxml` -- every raw WordprocessingML detail python-docx has no API for
- :mod:`.zipstore` -- a ZIP writer reusing parts deflated once
- :mod:`.run` -- the export run: gate, plan, render, write (with :mod:`.manifest` and
  :mod:`.output`)

Nothing is imported here: ``letterflow check`` must not load python-docx, and callers import
the module they need (``from workflow.export.run import plan_export``).
"""
