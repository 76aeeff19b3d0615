"""Letter sources other than the text format: a Word ``.docx`` (:mod:`.docx_source`) and the
inline tag syntax both kinds of letter use in messages (:mod:`.markup`)."""
