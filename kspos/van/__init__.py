"""The VAN link: telegram codec, client with the network-cancel journal, host simulator.

- :mod:`kspos.van.telegram` encodes and decodes frames (specs/van-telegram.md §1-3).
- :mod:`kspos.van.client` is what the sales core calls (``VanClient``); its docstring tells how
  to record an outcome atomically with the journal.
- :mod:`kspos.van.rules` holds the input rules the client checks before sending;
  :mod:`kspos.van.answers` what it checks and cleans in the host's answers.
- :mod:`kspos.van.journal` / :mod:`kspos.van.store`: serials and the network-cancel journal;
  :mod:`kspos.van.records`: the answers ``kspos van approve|cancel`` keep (``kspos van list``).
- :mod:`kspos.van.link` builds the ``VanLink`` for ``tcp:HOST:PORT`` or ``embedded``.
- :mod:`kspos.van.host` and :mod:`kspos.van.simulator` are the host simulator.

Nothing is imported here: ``import kspos.van`` stays free.
"""
