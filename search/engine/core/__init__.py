"""What every engine's writer shares, whatever it stores articles in.

documents.py         an article prepared: its terms per field, stored form, signature
feeding.py           ``Feeder``: articles in order to an engine, prepared, with stories
pool.py              analysis in processes of their own (``AnalysisPool``)
analysis_process.py  what each of those processes runs
lifetime.py          processes an engine starts end with the run, quietly
"""
