; Inno Setup 6 recipe: installs qvupload for the current user (no admin rights), with a Start menu
; entry, an uninstaller (Settings > Apps) and, when asked, qvupload.exe on the user's PATH.
; Built by packaging\windows\build.ps1 after PyInstaller has made dist\qvupload:
;   iscc /DAppVersion=0.1.0 packaging\windows\qvupload.iss
; Signing (only when a certificate is given; build.ps1 passes these):
;   iscc /DAppVersion=0.1.0 /DSign "/Sqvsign=signtool.exe sign /fd sha256 /tr http://TIMESTAMP /td sha256 /f CERT.pfx /p PASSWORD $f" ...

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6A0C1B7E-3F4D-4C55-9B1E-2D8A7F1E0A11}
AppName=qvupload
AppVersion={#AppVersion}
AppPublisher=qvupload
AppComments=Bring local QlikView documents into Qlik Cloud
; per-user: {autopf} is %LOCALAPPDATA%\Programs when run without admin rights
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\qvupload
DefaultGroupName=qvupload
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\qvupload-window.exe
UninstallDisplayName=qvupload
OutputDir=..\..\dist
OutputBaseFilename=qvupload-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\qvupload.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesEnvironment=yes
#ifdef Sign
SignTool=qvsign
SignedUninstaller=yes
#endif

[Tasks]
Name: "desktopicon"; Description: "Create a &desktop shortcut"; Flags: unchecked
Name: "addtopath"; Description: "Add qvupload to my &PATH (for the command line)"; Flags: unchecked

[Files]
Source: "..\..\dist\qvupload\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\qvupload"; Filename: "{app}\qvupload-window.exe"; Comment: "Bring QlikView documents into Qlik Cloud"
Name: "{group}\Uninstall qvupload"; Filename: "{uninstallexe}"
Name: "{userdesktop}\qvupload"; Filename: "{app}\qvupload-window.exe"; Tasks: desktopicon

[Registry]
; the user's own PATH (HKCU), only with the task; the uninstaller takes the entry out again
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
  Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\qvupload-window.exe"; Description: "Start qvupload"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder: profiles, queue and ledger stay in %LOCALAPPDATA%\qvupload, sign-ins in the Credential Locker
Type: filesandordirs; Name: "{app}"

[Code]
function NotOnPath(Folder: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
    Current := '';
  Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Current, Folder: string;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  Folder := ExpandConstant('{app}');
  if RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
  begin
    At := Pos(';' + Uppercase(Folder), Uppercase(Current));
    if At > 0 then
    begin
      Delete(Current, At, Length(Folder) + 1);
      RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current);
    end;
  end;
end;
