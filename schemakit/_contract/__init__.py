"""The contract core: the knowledge of the data API's contract, stated once.

Every pillar (``schema``, ``filters``, ``mappings``), every backend, export,
generator and face dispatches from these tables and imports nothing else for
it; this package imports none of them.

* :mod:`~schemakit._contract.types`: the bucket field types.
* :mod:`~schemakit._contract.operators`: the filter operators.
* :mod:`~schemakit._contract.paths`: dotted field paths, against a schema and on a record.
* :mod:`~schemakit._contract.semantics`: what a filter operator means on a record value.
* :mod:`~schemakit._contract.bucket`: reading and checking a ``bucket_schema``, its unique key and its request.
* :mod:`~schemakit._contract.keywords`: the one report of keys a contract object does not define.
* :mod:`~schemakit._contract.values`: a caller's values as exact built-in types, read without running their code.
* :mod:`~schemakit._contract.codes`: the registry of issue codes.
* :mod:`~schemakit._contract.generators`: hypothesis generators of contract values.
* :mod:`~schemakit._contract.sentinels`: one sentinel per meaning.
* :mod:`~schemakit._contract.results`: the one result shape.
"""
