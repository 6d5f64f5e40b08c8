#!/usr/bin/env pwsh
# Runs the typed build (build/_build.csproj): ./build.ps1 [targets] [--parameters]   (./build.ps1 --help lists them)
# Same contract as build.sh: compile only when the build's sources changed, then run its dll directly.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Bin = Join-Path $Root '.nuke/temp/build-bin'
$Stamp = Join-Path $Bin '.sources.sha256'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error 'The .NET SDK was not found on PATH. Install the SDK named in global.json (https://dot.net/download) and run ./build.ps1 again.'
    exit 2
}

function Get-SourcesHash {
    $excluded = [IO.Path]::DirectorySeparatorChar + '(bin|obj|node_modules)' + [IO.Path]::DirectorySeparatorChar
    $files = @('build', 'src/TypedBuild' | ForEach-Object { Get-ChildItem (Join-Path $Root $_) -Recurse -File } |
        Where-Object { $_.Extension -in '.cs', '.csproj', '.props', '.targets' -and $_.FullName -notmatch $excluded })
    $files += @('Directory.Build.props', 'Directory.Packages.props', 'global.json', '.editorconfig' |
        ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path $_ } | Get-Item)
    $lines = $files | Sort-Object { [IO.Path]::GetRelativePath($Root, $_.FullName) } |
        ForEach-Object { (Get-FileHash $_.FullName -Algorithm SHA256).Hash + ' ' + [IO.Path]::GetRelativePath($Root, $_.FullName) }
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
}

$hash = Get-SourcesHash
if (-not (Test-Path (Join-Path $Bin '_build.dll')) -or -not (Test-Path $Stamp) -or (Get-Content $Stamp -Raw).Trim() -ne $hash) {
    Write-Host 'Compiling the build (its sources changed)...'
    if (Test-Path $Bin) { Remove-Item $Bin -Recurse -Force }
    $log = & dotnet build (Join-Path $Root 'build/_build.csproj') --configuration Release --output $Bin --nologo --verbosity quiet -clp:NoSummary 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | Write-Host
        Write-Error 'The build definition does not compile (errors above). Fix them and run ./build.ps1 again.'
        exit 2
    }
    Set-Content -Path $Stamp -Value $hash
}

# The root goes last so that it cannot be read as one more value of a list option such as --skip.
$rootArgs = if ($args -contains '--root') { @() } else { @('--root', $Root) }
& dotnet (Join-Path $Bin '_build.dll') @args @rootArgs
exit $LASTEXITCODE
