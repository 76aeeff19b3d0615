"""Translation memory: every approved entry of every letter, reusable by the next letter.

* :mod:`.store`   -- the ``tm_unit`` table (+ FTS5 index) in the project database;
  :func:`.store.sync_catalogs` puts every approved entry (and its aligned sentences) in;
* :mod:`.segment` -- sentence segmentation (ICU break iterators through PyICU);
* :mod:`.query`   -- which units are scored: length window, bounded FTS5 query;
* :mod:`.match`   -- rapidfuzz scores and word diffs of candidates;
* :mod:`.suggest` -- suggestions for one message (memory, cached MT, glossary);
* :mod:`.drafting` -- exact matches as drafts, before any engine;
* :mod:`.tmx`     -- TMX 1.4 import/export through translate-toolkit.

Heavy modules (rapidfuzz, PyICU, translate-toolkit) load on first use.
"""
