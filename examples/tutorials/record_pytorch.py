"""Runs each PyTorch program beside this file (from the repository root, as the .tb scripts run)
and records what it prints in NAME.pytorch.txt: the outputs the test TutorialExampleTests compares
tensorbook's NAME.tb against (numbers within a tolerance, lines starting "sample" only counted).

Run: python3 examples/tutorials/record_pytorch.py   (needs torch from PyPI)"""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
for name in sorted(os.listdir(here)):
    if not name.endswith(".py") or name == os.path.basename(__file__):
        continue
    output = subprocess.run([sys.executable, os.path.join(here, name)], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    with open(os.path.join(here, name[:-3] + ".pytorch.txt"), "w") as file:
        file.write(output)
    print(f"{name}: {len(output.splitlines())} lines")
