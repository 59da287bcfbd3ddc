"""Test agent for cancellation: plans one step, then blocks inside the step call.

Before blocking it writes its process id to the file named by ATLAS_TEST_PID_FILE, so a test can
check that the worker process is gone after the run is cancelled.
"""

import json
import os
import time


def run_agent(prompt, metadata=None):
    metadata = metadata or {}
    if metadata.get("mode") == "planning":
        return json.dumps({"steps": [{"id": 1, "description": "Think for a very long time"}]})
    if metadata.get("mode") == "execution":
        with open(os.environ["ATLAS_TEST_PID_FILE"], "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(120)
        return "finished thinking"
    return "done"
