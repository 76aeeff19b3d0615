"""Git for the catalogues (issue 15): the review server commits each write batch by its
author, pushes, pulls with rebase, merges ``.po`` files entry by entry, and reads
attribution back from commits made elsewhere (Poedit).

Modules: ``settings`` (``[tool.letterflow.git]``), ``repo`` (the GitPython wrapper: the
only module that runs git), ``commits`` (audit rows -> commits by their authors, squash
window, crash recovery), ``pomerge`` (the entry-wise three-way merge), ``merge_po`` (the
``letterflow merge-po`` driver), ``sync`` (pull/rebase/template update/attribution/push),
``worker`` (the server's background committer, debounced push and scheduled pull),
``state`` (the last sync outcome, shown on the coordinator's page).
"""
