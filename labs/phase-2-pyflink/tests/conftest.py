"""The job's modules import as the job imports them: ctr_common from jobs/, udfs from jobs/v2/."""
import sys
from pathlib import Path

JOBS = Path(__file__).resolve().parent.parent / "jobs"
sys.path.insert(0, str(JOBS))
sys.path.insert(0, str(JOBS / "v2"))
