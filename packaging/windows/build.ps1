# Builds the Windows bundle and its per-user installer. From the repository root, in PowerShell:
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e ".[build]"
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Inno Setup 6 (iscc.exe on PATH or in its default folder). Signs the executables and the
# installer only when QVUPLOAD_SIGN_PFX (a .pfx file) is set, with QVUPLOAD_SIGN_PASSWORD and
# optionally QVUPLOAD_SIGN_TIMESTAMP (an RFC 3161 time-stamp server address); signtool.exe from
# the Windows SDK must then be on PATH.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$py = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
$version = & $py -c "import qvupload; print(qvupload.__version__)"

& $py packaging\render_icons.py --ico build\icons\qvupload.ico
if ($LASTEXITCODE) { throw "icon rendering failed" }
& $py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\pyinstaller\qvupload.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
$isccArgs = @("/DAppVersion=$version")
if ($env:QVUPLOAD_SIGN_PFX) {
    $ts = if ($env:QVUPLOAD_SIGN_TIMESTAMP) { "/tr $env:QVUPLOAD_SIGN_TIMESTAMP /td sha256" } else { "" }
    $sign = "signtool.exe sign /fd sha256 $ts /f `"$env:QVUPLOAD_SIGN_PFX`" /p `"$env:QVUPLOAD_SIGN_PASSWORD`""
    Get-ChildItem dist\qvupload\*.exe | ForEach-Object {
        Invoke-Expression "$sign `"$($_.FullName)`""
        if ($LASTEXITCODE) { throw "signing $($_.Name) failed" }
    }
    $isccArgs += @("/DSign", "/Sqvsign=$sign `$f")
}
& $iscc @isccArgs packaging\windows\qvupload.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Write-Host "== installer: dist\qvupload-$version-windows-setup.exe"
