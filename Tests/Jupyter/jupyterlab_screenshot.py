"""JupyterLab, started headless on loopback and driven by headless Chromium, runs lesson 03's ipynb
export with the tensorbook kernel; the script checks the page for the rendered digits and loss
plot and writes screenshots. Run by `make jupyterlab` (needs Debian's chromium and
chromium-driver, and jupyterlab and selenium from PyPI; `make jupyterlab` installs them).

Usage: python3 Tests/Jupyter/jupyterlab_screenshot.py TENSORBOOK_BINARY OUTPUT_DIRECTORY"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    raise SystemExit(f"timed out after {timeout} s waiting for {what}")


def main(binary, output_directory):
    os.makedirs(output_directory, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tensorbook-lab-")
    subprocess.run([binary, "kernel", "install", "--prefix", work], check=True, capture_output=True)
    subprocess.run([binary, "export", os.path.join(ROOT, "notebooks", "03-mnist-cnn.nb"), "--to", "ipynb", "--recorded",
                    "-o", os.path.join(work, "03-mnist-cnn.ipynb")], check=True, capture_output=True)
    # Start from a clean notebook: Jupyter's own outputs are what the screenshot shows.
    import nbformat
    notebook = nbformat.read(os.path.join(work, "03-mnist-cnn.ipynb"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, os.path.join(work, "03-mnist-cnn.ipynb"))

    port, token = free_port(), secrets.token_hex(16)
    environment = dict(os.environ, JUPYTER_PATH=os.path.join(work, "share", "jupyter"), JUPYTER_RUNTIME_DIR=os.path.join(work, "runtime"),
                       JUPYTER_CONFIG_DIR=os.path.join(work, "config"))
    server = subprocess.Popen(["jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True"],
                              env=environment, stdout=subprocess.DEVNULL, stderr=open(os.path.join(output_directory, "jupyterlab.log"), "w"))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,4200", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        wait_until(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 60, "JupyterLab to listen")
        browser.get(f"http://127.0.0.1:{port}/lab/tree/03-mnist-cnn.ipynb?token={token}")
        wait_until(lambda: browser.execute_script(
            "const app = window.jupyterapp; const panel = app && app.shell.currentWidget;"
            "return !!(panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel"
            " && panel.sessionContext.session.kernel.status === 'idle');"), 120, "the tensorbook kernel to start")
        kernel = browser.execute_script("return window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name;")
        started = time.time()
        browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
        time.sleep(2)
        wait_until(lambda: browser.execute_script(
            "const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel; return kernel.status === 'idle';")
            and len(browser.find_elements(By.CSS_SELECTOR, ".jp-RenderedImage img")) >= 3, 600, "every cell to run")
        print(f"kernel {kernel}: all cells ran in {time.time() - started:.0f} s")
        images = browser.find_elements(By.CSS_SELECTOR, ".jp-RenderedImage img")
        print(f"{len(images)} rendered PNG outputs (digits, loss plot, predictions)")
        outputs = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")]
        for text in outputs:
            if "epoch" in text or "accuracy" in text:
                print("output:", text.replace("\n", " | ")[:200])
        browser.save_screenshot(os.path.join(output_directory, "jupyterlab-lesson-03.png"))
        for index, image in enumerate(images):
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", image)
            time.sleep(0.3)
            image.screenshot(os.path.join(output_directory, f"jupyterlab-lesson-03-image-{index + 1}.png"))
        print(f"screenshots in {output_directory}")
    finally:
        browser.quit()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
