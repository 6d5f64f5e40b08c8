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
    [Console]::Error.WriteLine('error: dotnet is not on PATH. Install the SDK named in global.json, then run ./build.ps1 again:')
    [Console]::Error.WriteLine("  & ([scriptblock]::Create((Invoke-WebRequest -UseBasicParsing 'https://dot.net/v1/dotnet-install.ps1'))) -Channel 10.0")
    exit 2
}

function Get-SourcesHash {
    $excluded = [IO.Path]::DirectorySeparatorChar + '(bin|obj|node_modules)' + [IO.Path]::DirectorySeparatorChar
    $files = @('build', 'src/TypedBuild' | ForEach-Object { Get-ChildItem (Join-Path $Root $_) -Recurse -File } |
        Where-Object { $_.Extension -in '.cs', '.csproj', '.props', '.targets' -and $_.FullName -notmatch $excluded })
    $files += @('Directory.Build.props', 'Directory.Packages.props', 'global.json', '.editorconfig' |
        ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path $_ } | Get-Item -Force)
    $lines = $files | Sort-Object { [IO.Path]::GetRelativePath($Root, $_.FullName) } |
        ForEach-Object { (Get-FileHash $_.FullName -Algorithm SHA256).Hash + ' ' + [IO.Path]::GetRelativePath($Root, $_.FullName) }
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
}

# The version and rollForward policy of global.json's "sdk" object (nulls when there is none).
function Get-WantedSdk {
    $globalJson = Join-Path $Root 'global.json'
    if (-not (Test-Path $globalJson)) { return $null }
    $json = Get-Content $globalJson -Raw | ConvertFrom-Json
    if (-not $json.PSObject.Properties['sdk'] -or -not $json.sdk.PSObject.Properties['version']) { return $null }
    $policy = if ($json.sdk.PSObject.Properties['rollForward']) { $json.sdk.rollForward } else { 'latestPatch' }
    return [pscustomobject]@{ Version = $json.sdk.version; Policy = $policy }
}

# True when an installed SDK satisfies global.json. SDK versions are major.minor.FPP: the hundreds of the patch
# are the feature band (10.0.401 is band 4, patch 1).
function Test-SdkMatches($wanted) {
    if (-not $wanted) { return $true }
    $want = [version]($wanted.Version -replace '-.*$', '')
    foreach ($line in @(& dotnet --list-sdks)) {
        $text = ($line -split ' ')[0]
        if ($text -match '-') { continue }
        $v = [version]$text
        $sameMinor = $v.Major -eq $want.Major -and $v.Minor -eq $want.Minor
        $ok = switch ($wanted.Policy) {
            'disable' { $v -eq $want }
            { $_ -in 'patch', 'latestPatch' } { $sameMinor -and [math]::Floor($v.Build / 100) -eq [math]::Floor($want.Build / 100) -and $v.Build -ge $want.Build }
            { $_ -in 'feature', 'latestFeature' } { $sameMinor -and $v.Build -ge $want.Build }
            { $_ -in 'minor', 'latestMinor' } { $v.Major -eq $want.Major -and $v -ge $want }
            default { $v -ge $want }
        }
        if ($ok) { return $true }
    }
    return $false
}

$hash = Get-SourcesHash
if (-not (Test-Path (Join-Path $Bin '_build.dll')) -or -not (Test-Path $Stamp) -or (Get-Content $Stamp -Raw).Trim() -ne $hash) {
    $wanted = Get-WantedSdk
    if (-not (Test-SdkMatches $wanted)) {
        $installed = (@(& dotnet --list-sdks) | ForEach-Object { ($_ -split ' ')[0] }) -join ' '
        [Console]::Error.WriteLine("error: no .NET SDK matching global.json (version $($wanted.Version), rollForward $($wanted.Policy)) was found (installed: $installed).")
        [Console]::Error.WriteLine('Install one, then run ./build.ps1 again:')
        [Console]::Error.WriteLine("  & ([scriptblock]::Create((Invoke-WebRequest -UseBasicParsing 'https://dot.net/v1/dotnet-install.ps1'))) -Version $($wanted.Version)")
        [Console]::Error.WriteLine("or: winget install Microsoft.DotNet.SDK.$(([version]($wanted.Version -replace '-.*$', '')).Major)")
        exit 2
    }
    # Diagnostics go to stderr, as the build's own do: stdout is for results such as --plan --json.
    [Console]::Error.WriteLine('Compiling the build (its sources changed)...')
    if (Test-Path $Bin) { Remove-Item $Bin -Recurse -Force }
    $compileLog = Join-Path $Root '.nuke/temp/build-compile.log'
    New-Item -ItemType Directory -Force -Path (Split-Path $compileLog) | Out-Null
    & dotnet build (Join-Path $Root 'build/_build.csproj') --configuration Release --output $Bin --nologo --verbosity quiet -clp:NoSummary *> $compileLog
    if ($LASTEXITCODE -ne 0) {
        Get-Content $compileLog | ForEach-Object { [Console]::Error.WriteLine($_) }
        [Console]::Error.WriteLine('error: the build definition does not compile (errors above). Fix them and run ./build.ps1 again.')
        exit 2
    }
    Set-Content -Path $Stamp -Value $hash
}

# The root goes last so that it cannot be read as one more value of a list option such as --skip.
$rootArgs = if ($args -contains '--root') { @() } else { @('--root', $Root) }
& dotnet (Join-Path $Bin '_build.dll') @args @rootArgs
exit $LASTEXITCODE
