; Inno Setup script for council IT: a Windows installer for the one-folder PyInstaller build.
;
; Build dist\cspdesk first (installer\build.sh in Git Bash, or the PyInstaller command in the
; README), then compile from the repository root:
;     ISCC /DAppVersion=0.1.0 installer\cspdesk.iss
; The installer is written to dist\installer\cspdesk-<version>-setup.exe.
;
; Installs for the current user by default (no administrator rights needed, into
; %LOCALAPPDATA%\Programs\cspdesk); an administrator may choose "Install for all users"
; (Program Files) on the first page, or pass /ALLUSERS on the command line.
; Uninstalling removes the program only: the officer's data folder (%LOCALAPPDATA%\cspdesk, with
; the database, its backups, attachments, offline snapshots and the log) is never touched.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "cspdesk"
#define AppPublisher "cspdesk maintainers"
#define AppExe "cspdesk.exe"

[Setup]
; keep this AppId for every version, so that upgrades replace the previous install
AppId={{6C1F3E0A-5B7D-4E8C-9A51-2D7F4B3C8E19}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Board packs, action plans, budgets and the ISA register for Community Safety Partnerships
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
CloseApplications=yes
; sign the installer and its uninstaller (Inno Setup 6.3 or later):
;   ISCC /DAppVersion=0.1.0 /DSignTool "/Ssigntool=signtool.exe sign /fd sha256 /a /tr http://timestamp.digicert.com /td sha256 $f" installer\cspdesk.iss
#ifdef SignTool
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder build; old files of a previous version are replaced
Source: "dist\cspdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; a new version brings its own libraries; stale ones from an older build must not linger
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Community Safety Partnership desk"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder on purpose: the database, its backups and the log
; live in %LOCALAPPDATA%\cspdesk (outside {app}) and stay after an uninstall.
