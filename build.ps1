#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds KrJwt: the native library, its C header, the PowerShell module staged under out/KrJwt/; with -Test
runs every test suite.
.DESCRIPTION
Runs under PowerShell 7 and under the minimal host in tools/pwsh-host (see build.sh), which has the core
cmdlets only: files, output and processes go through .NET APIs, not the Utility/Management cmdlets.

Without switches: build, stage, import the staged module in a child process, run examples/quickstart.ps1.
With -Test: build, stage, then run cargo test, the C programs in tests/c, the Pester suites in
tests/pester and tools/KrPester/tests; exit 1 if anything failed. The last line printed is the total
"N passed, N failed" over every suite.
.PARAMETER Test
Run every test suite after building.
.PARAMETER Bench
Run the PowerShell benchmarks (benches/KrJwt.Bench.ps1) after building, in a child process of this host.
.PARAMETER Package
Also pack the staged module into out/package/KrJwt.<version>.nupkg, laid out for the PowerShell Gallery
(tools/New-KrModulePackage.ps1).
.PARAMETER Fuzz
Run every libFuzzer target (fuzz/run.sh) for -Seconds each (default 30) after building.
.PARAMETER Seconds
With -Fuzz: seconds per fuzz target.
.PARAMETER CratesIo
Take Rust crates from crates.io even where Debian's packaged crates could be used.
#>
[CmdletBinding()]
param(
    [switch] $Test,
    [switch] $Bench,
    [switch] $Fuzz,
    [int] $Seconds = 30,
    [switch] $Package,
    [switch] $CratesIo
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Debian packages for a build from Debian's packaged crates (no crates.io needed): the crates the
# workspace depends on, the OpenSSL headers, cbindgen and a C compiler. Extend this list when the crate
# gains a dependency.
$DebianPackages = @(
    'librust-openssl-dev', 'librust-serde-json-dev', 'librust-serde-derive-dev', 'librust-serde-dev',
    'librust-hmac-dev', 'librust-sha2-dev', 'librust-base64-dev', 'librust-zeroize-dev', 'librust-subtle-dev',
    'librust-libc-dev', 'librust-criterion-dev', 'librust-proptest-dev',
    'libssl-dev', 'pkg-config', 'cbindgen', 'gcc',
    # Hardening checks: libFuzzer and the sanitizer runtimes, and valgrind.
    'clang-14', 'libclang-rt-14-dev', 'valgrind'
)
# Where those packages put the crates; cargo reads it through source replacement given on its command line.
$DebianRegistry = '/usr/share/cargo/registry'

$Root = $PSScriptRoot
$OutDir = "$Root/out"
$ReleaseDir = "$Root/target/release"
$NativeLibrary = if ($IsWindows) { 'krjwt.dll' } elseif ($IsMacOS) { 'libkrjwt.dylib' } else { 'libkrjwt.so' }
# The host running this script; child processes (smoke import, examples, tests) use the same one.
$HostPath = [Environment]::ProcessPath

#region Helpers

function Write-Section([string] $Title) {
    [Console]::WriteLine('')
    [Console]::WriteLine("==> $Title")
}

function Write-Note([string] $Text) {
    [Console]::WriteLine("    $Text")
}

# Runs a program with its output streamed as it comes (stderr untouched, stdout line by line, each line
# also given to $OnLine); returns the exit code.
function Invoke-Tool([string] $FilePath, [string[]] $ArgumentList, [scriptblock] $OnLine) {
    & $FilePath @ArgumentList | ForEach-Object {
        [Console]::WriteLine($_)
        if ($OnLine) { & $OnLine $_ }
    }
    $LASTEXITCODE
}

function Invoke-Required([string] $FilePath, [string[]] $ArgumentList) {
    $code = Invoke-Tool $FilePath $ArgumentList
    if ($code -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $code." }
}

function Test-Tool([string] $Name) {
    $null -ne (Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue)
}

function Remove-Directory([string] $Path) {
    if ([System.IO.Directory]::Exists($Path)) { [System.IO.Directory]::Delete($Path, $true) }
}

#endregion

#region Build steps

# Chooses the crate source and makes sure every tool and crate the build needs is there; returns the
# arguments that point cargo at the chosen source.
function Initialize-Prerequisite {
    Write-Section 'Prerequisites'
    $useDebian = -not $CratesIo -and $IsLinux -and (Test-Tool 'apt-get')
    if ($useDebian) {
        $installed = & dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' @DebianPackages 2>$null |
            Where-Object { $_ -like 'ii *' } | ForEach-Object { $_.Split(' ')[-1] }
        $missing = @($DebianPackages | Where-Object { $_ -notin $installed })
        if ($missing.Count -gt 0) {
            $install = "apt-get install -y $($missing -join ' ')"
            if ((& id -u) -ne '0') {
                throw "Missing Debian packages: $($missing -join ', '). Install them as root with: $install (after apt-get update), or build with crates.io: ./build.sh -CratesIo"
            }
            Write-Note "Installing $($missing -join ', ')"
            $env:DEBIAN_FRONTEND = 'noninteractive'
            Invoke-Required 'apt-get' @('update')
            Invoke-Required 'apt-get' (@('install', '-y') + $missing)
        }
        if (-not [System.IO.Directory]::Exists($DebianRegistry)) {
            throw "Debian's cargo registry $DebianRegistry is missing although its packages are installed."
        }
    }

    $compiler = @(@('cc', 'gcc') | Where-Object { Test-Tool $_ })[0]
    $needed = [ordered]@{
        cargo    = 'Rust (https://rustup.rs, or apt-get install cargo)'
        dotnet   = 'the .NET SDK 8 or later'
        cbindgen = 'cbindgen (cargo install cbindgen, or apt-get install cbindgen)'
    }
    $absent = @($needed.Keys | Where-Object { -not (Test-Tool $_) } | ForEach-Object { "$_`: install $($needed[$_])" })
    if (-not $compiler) { $absent += 'a C compiler (cc or gcc)' }
    $openssl = $IsWindows -or ((Test-Tool 'pkg-config') -and $(& pkg-config --exists openssl; $LASTEXITCODE -eq 0))
    if (-not $openssl) {
        $absent += 'OpenSSL headers found by pkg-config (libssl-dev, or openssl from your package manager)'
    }
    if ($absent.Count -gt 0) { throw "Missing prerequisites:`n  $($absent -join "`n  ")" }

    $source = if ($useDebian) { 'debian' } else { 'crates-io' }
    Write-Note "Rust crates from: $(if ($useDebian) { "Debian's packaged crates ($DebianRegistry)" } else { 'crates.io' })"
    Reset-StaleLockFile -Source $source
    $script:CCompiler = $compiler
    if ($useDebian) {
        return @('--config', "source.crates-io.replace-with='debian'", '--config', "source.debian.directory='$DebianRegistry'", '--offline')
    }
    @()
}

# Cargo.lock is not committed and pins versions of one crate source; one made from the other source
# (Debian's versions are not crates.io's) would not resolve, so it is dropped and made again.
function Reset-StaleLockFile([string] $Source) {
    $lock = "$Root/Cargo.lock"
    $marker = "$Root/target/krjwt-crate-source"
    $previous = if ([System.IO.File]::Exists($marker)) { [System.IO.File]::ReadAllText($marker).Trim() }
    if ([System.IO.File]::Exists($lock) -and $previous -ne $Source) {
        Write-Note "Removing Cargo.lock (not made from $Source crates)"
        [System.IO.File]::Delete($lock)
    }
    $null = [System.IO.Directory]::CreateDirectory("$Root/target")
    [System.IO.File]::WriteAllText($marker, $Source)
}

function Build-NativeLibrary([string[]] $CargoSource) {
    Write-Section 'Native library: cargo build --release'
    if (-not [System.IO.File]::Exists("$Root/Cargo.toml")) { throw 'Cargo.toml is missing: the krjwt crate is not in this tree.' }
    Invoke-Required 'cargo' ($CargoSource + @('build', '--release'))
    if (-not [System.IO.File]::Exists("$ReleaseDir/$NativeLibrary")) { throw "cargo did not produce $ReleaseDir/$NativeLibrary." }
    Write-Note "Built $ReleaseDir/$NativeLibrary"
}

# Regenerates include/krjwt.h from the C-ABI module src/ffi/ (the module path rather than the crate, so
# that cbindgen needs no cargo metadata, hence no crate registry). With -Test the header is generated
# aside and compared instead: a committed header that no longer matches the code fails the run.
# Returns $false when it is stale.
function Update-Header {
    if (-not [System.IO.File]::Exists("$Root/cbindgen.toml")) { return $true }
    Write-Section 'C header: cbindgen'
    $committed = "$Root/include/krjwt.h"
    $target = if ($Test) { [System.IO.Path]::GetTempFileName() } else { $committed }
    $null = [System.IO.Directory]::CreateDirectory("$Root/include")
    Invoke-Required 'cbindgen' @('--quiet', '--config', "$Root/cbindgen.toml", '--output', $target, "$Root/src/ffi/mod.rs")
    if (-not $Test) {
        Write-Note 'Wrote include/krjwt.h'
        return $true
    }
    try {
        $current = if ([System.IO.File]::Exists($committed)) { [System.IO.File]::ReadAllText($committed) -replace "`r`n", "`n" }
        if ($current -ne ([System.IO.File]::ReadAllText($target) -replace "`r`n", "`n")) {
            [Console]::WriteLine('FAILED: stale header: run ./build.sh and commit include/krjwt.h')
            return $false
        }
        Write-Note 'include/krjwt.h is up to date'
        $true
    }
    finally {
        [System.IO.File]::Delete($target)
    }
}

# Builds the module assembly and stages a ready-to-import module in out/KrJwt; $false when the module
# project does not exist yet.
function Build-Module {
    Write-Section 'PowerShell module: dotnet build'
    $project = "$Root/powershell/KrJwt.csproj"
    if (-not [System.IO.File]::Exists($project)) {
        [Console]::WriteLine('WARNING: powershell/KrJwt.csproj does not exist yet: the module is not built or staged.')
        return $false
    }
    $buildDir = "$OutDir/build/KrJwt"
    Remove-Directory $buildDir
    Invoke-Required 'dotnet' @('build', $project, '-c', 'Release', '-o', $buildDir, '-nologo')

    $stage = "$OutDir/KrJwt"
    Remove-Directory $stage
    $null = [System.IO.Directory]::CreateDirectory($stage)
    # On Windows krjwt.dll and KrJwt.dll are one file name: the native library goes only under
    # runtimes/<rid>/native/ there (below), elsewhere beside the module as well.
    $native = if ($IsWindows) { @() } else { @("$ReleaseDir/$NativeLibrary") }
    $files = @("$buildDir/KrJwt.dll", "$buildDir/KrJwt.pdb", "$Root/powershell/KrJwt.psd1") + $native +
        [System.IO.Directory]::GetFiles("$Root/powershell", '*.ps1xml')
    foreach ($file in $files) {
        if (-not [System.IO.File]::Exists($file)) { throw "Cannot stage $file`: it does not exist." }
        [System.IO.File]::Copy($file, "$stage/$([System.IO.Path]::GetFileName($file))", $true)
    }
    # Packages carry the native library under runtimes/<rid>/native/, where the loader looks too.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
    $null = [System.IO.Directory]::CreateDirectory("$stage/runtimes/$rid/native")
    [System.IO.File]::Copy("$ReleaseDir/$NativeLibrary", "$stage/runtimes/$rid/native/$NativeLibrary", $true)
    Write-Note "Staged runtimes/$rid/native/$NativeLibrary"
    Write-Note "Staged $stage"

    Write-Section 'Smoke test: Import-Module out/KrJwt/KrJwt.psd1'
    $env:KRJWT_MODULE = "$stage/KrJwt.psd1"
    Invoke-Required $HostPath @('-NoProfile', '-NonInteractive', '-Command', @'
Import-Module $env:KRJWT_MODULE -ErrorAction Stop
$module = Get-Module KrJwt
[Console]::WriteLine("    Imported KrJwt $($module.Version) with $($module.ExportedCommands.Count) commands")
'@)
    $true
}

# Completes the staged module: the MAML help compiled from docs/cmdlets and the about_KrJwt topic
# (Get-Help); with -Package, the Gallery package.
function Complete-ModuleStage {
    $stage = "$OutDir/KrJwt"
    Write-Section 'Help: docs/cmdlets -> out/KrJwt/en-US/KrJwt.dll-Help.xml'
    & "$Root/tools/ConvertTo-MamlHelp.ps1" -Path "$Root/docs/cmdlets" -OutputPath "$stage/en-US/KrJwt.dll-Help.xml"
    Write-Note "Compiled $([System.IO.Directory]::GetFiles("$Root/docs/cmdlets", '*.md').Count) cmdlet pages"
    # The conceptual topic (Get-Help about_KrJwt) is plain text, staged as it is.
    [System.IO.File]::Copy("$Root/docs/about_KrJwt.help.txt", "$stage/en-US/about_KrJwt.help.txt", $true)
    Write-Note 'Staged en-US/about_KrJwt.help.txt'

    if ($Package) {
        Write-Section 'Package: out/package'
        Write-Note "Wrote $(& "$Root/tools/New-KrModulePackage.ps1" -ModulePath $stage -OutputDirectory "$OutDir/package")"
    }
}

#endregion

#region Test suites

# The Rust interop tests drive npm's jose (tests/interop); its packages are installed from the lock file
# when they are missing or older than it.
function Install-InteropPeer {
    $folder = "$Root/tests/interop"
    if (-not [System.IO.File]::Exists("$folder/package-lock.json")) { return }
    $installed = "$folder/node_modules/.package-lock.json"
    if ([System.IO.File]::Exists($installed) -and
        [System.IO.File]::GetLastWriteTimeUtc($installed) -ge [System.IO.File]::GetLastWriteTimeUtc("$folder/package-lock.json")) { return }
    Write-Section 'Test setup: npm ci --prefix tests/interop'
    if (-not ((Test-Tool 'node') -and (Test-Tool 'npm'))) { throw 'The interop tests need Node.js 20 or later with npm (node and npm on PATH).' }
    Invoke-Required 'npm' @('ci', '--prefix', $folder, '--no-audit', '--no-fund')
}

# Each suite adds one entry to $Suites: its name, whether it passed, and its test counts.
$Suites = [System.Collections.Generic.List[object]]::new()

function Add-SuiteResult([string] $Name, [bool] $Passed, [int] $PassedCount, [int] $FailedCount) {
    # A suite that failed without reporting a failed test (it did not compile, crashed, ...) counts one.
    if (-not $Passed -and $FailedCount -eq 0) { $FailedCount = 1 }
    $Suites.Add([pscustomobject]@{ Name = $Name; Passed = $Passed; PassedCount = $PassedCount; FailedCount = $FailedCount })
}

function Invoke-CargoTest([string[]] $CargoSource) {
    Write-Section 'Test: cargo test'
    $counts = @{ Passed = 0; Failed = 0 }
    # Every test target runs even when one fails, so that the counts are complete.
    $code = Invoke-Tool 'cargo' ($CargoSource + @('test', '--no-fail-fast')) {
        param($line)
        if ($line -match '^test result: \w+\. (\d+) passed; (\d+) failed') {
            $counts.Passed += [int]$Matches[1]
            $counts.Failed += [int]$Matches[2]
        }
    }
    Add-SuiteResult 'cargo test' ($code -eq 0) $counts.Passed $counts.Failed
}

# Every tests/c/*.c is a program compiled against include/krjwt.h and the release library; exit code 0
# means it passed.
function Invoke-CTest {
    Write-Section 'Test: C programs (tests/c)'
    $sources = @(if ([System.IO.Directory]::Exists("$Root/tests/c")) { [System.IO.Directory]::GetFiles("$Root/tests/c", '*.c') })
    if ($sources.Count -eq 0) {
        [Console]::WriteLine('FAILED: no C test programs in tests/c')
        Add-SuiteResult 'C programs' $false 0 1
        return
    }
    $binDir = "$Root/target/c-tests"
    $null = [System.IO.Directory]::CreateDirectory($binDir)
    $passed = 0
    $failed = 0
    foreach ($source in $sources) {
        $name = [System.IO.Path]::GetFileNameWithoutExtension($source)
        $program = "$binDir/$name"
        $code = Invoke-Tool $script:CCompiler @('-Wall', '-Wextra', '-Werror', '-I', "$Root/include", $source, '-o', $program,
            '-L', $ReleaseDir, '-lkrjwt', "-Wl,-rpath,$ReleaseDir")
        if ($code -eq 0) { $code = Invoke-Tool $program @() }
        if ($code -eq 0) { $passed++; Write-Note "[+] $name" } else { $failed++; Write-Note "[-] $name (exit code $code)" }
    }
    Add-SuiteResult 'C programs' ($failed -eq 0) $passed $failed
}

# The C programs under AddressSanitizer/LeakSanitizer and valgrind, and the fuzz targets replaying
# their corpus plus a fixed-seed, fixed-count mutation run (deterministic, a minute or two).
function Invoke-HardeningCheck([string[]] $CargoSource) {
    Write-Section 'Test: memory checks (scripts/check-memory.sh)'
    $code = Invoke-Tool 'bash' @("$Root/scripts/check-memory.sh")
    Add-SuiteResult 'Memory checks' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
    Write-Section 'Test: fuzz regression (fuzz/run.sh --runs 20000)'
    $env:KRJWT_CARGO_FLAGS = $CargoSource -join ' '
    $code = Invoke-Tool 'bash' @("$Root/fuzz/run.sh", '--runs', '20000')
    Add-SuiteResult 'Fuzz targets' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
}

# Runs one folder of Pester tests in a child process of this host: with Pester 5 where it is installed
# (and the host is a full PowerShell), else with KrPester.
function Invoke-PesterSuite([string] $Folder) {
    Write-Section "Test: Pester $Folder"
    $path = "$Root/$Folder"
    $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 }
    $fullHost = $null -ne (Get-Command Write-Host -ErrorAction SilentlyContinue)
    $env:KRJWT_TEST_PATH = $path
    $arguments = if ($pester -and $fullHost) {
        Write-Note 'Runner: Pester 5'
        @('-NoProfile', '-NonInteractive', '-Command', @'
Import-Module Pester -MinimumVersion 5.0
$config = New-PesterConfiguration
$config.Run.Path = $env:KRJWT_TEST_PATH
$config.Run.PassThru = $true
$result = Invoke-Pester -Configuration $config
[Console]::WriteLine("$($result.PassedCount) passed, $($result.FailedCount) failed")
exit $(if ($result.Result -eq 'Passed') { 0 } else { 1 })
'@)
    }
    else {
        Write-Note 'Runner: KrPester (tools/Invoke-KrPester.ps1)'
        @('-NoProfile', '-NonInteractive', '-File', "$Root/tools/Invoke-KrPester.ps1", '-Path', $path)
    }
    $counts = @{ Passed = 0; Failed = 0 }
    $code = Invoke-Tool $HostPath $arguments {
        param($line)
        if ($line -match '^(\d+) passed, (\d+) failed') {
            $counts.Passed = [int]$Matches[1]
            $counts.Failed = [int]$Matches[2]
        }
    }
    Add-SuiteResult "Pester $Folder" ($code -eq 0) $counts.Passed $counts.Failed
}

# The PowerShell benchmarks (per-call cost next to an empty cmdlet, cold import, memory), in a fresh process.
function Invoke-Benchmark {
    Write-Section 'Benchmarks: benches/KrJwt.Bench.ps1'
    Invoke-Required $HostPath @('-NoProfile', '-NonInteractive', '-File', "$Root/benches/KrJwt.Bench.ps1")
}

function Write-TestSummary {
    Write-Section 'Summary'
    foreach ($suite in $Suites) {
        $status = if ($suite.Passed) { 'ok    ' } else { 'FAILED' }
        Write-Note ("{0} {1,-30} {2} passed, {3} failed" -f $status, $suite.Name, $suite.PassedCount, $suite.FailedCount)
    }
    $passed = ($Suites | ForEach-Object PassedCount | Measure-Sum)
    $failed = ($Suites | ForEach-Object FailedCount | Measure-Sum)
    # The last line: CI reads it.
    [Console]::WriteLine("$passed passed, $failed failed")
    $failed -eq 0 -and @($Suites | Where-Object { -not $_.Passed }).Count -eq 0
}

# Sum of the piped numbers (Measure-Object is not a core cmdlet).
function Measure-Sum {
    $sum = 0
    foreach ($number in $input) { $sum += $number }
    $sum
}

#endregion

$startLocation = $ExecutionContext.SessionState.Path.CurrentLocation
$null = $ExecutionContext.SessionState.Path.SetLocation($Root)
try {
    $cargoSource = Initialize-Prerequisite
    Build-NativeLibrary -CargoSource $cargoSource
    $headerCurrent = Update-Header
    $moduleBuilt = Build-Module
    if ($moduleBuilt) { Complete-ModuleStage }
    if ($Bench) { Invoke-Benchmark }
    if ($Fuzz) {
        Write-Section "Fuzzing: fuzz/run.sh --seconds $Seconds"
        $env:KRJWT_CARGO_FLAGS = $cargoSource -join ' '
        Invoke-Required 'bash' @("$Root/fuzz/run.sh", '--seconds', "$Seconds")
    }

    if (-not $Test) {
        $quickstart = "$Root/examples/quickstart.ps1"
        if ($moduleBuilt -and [System.IO.File]::Exists($quickstart)) {
            Write-Section 'Example: examples/quickstart.ps1'
            Invoke-Required $HostPath @('-NoProfile', '-NonInteractive', '-File', $quickstart)
        }
        Write-Section "Done: import the module with Import-Module ./out/KrJwt/KrJwt.psd1"
        exit 0
    }

    if ([System.IO.File]::Exists("$Root/cbindgen.toml")) { Add-SuiteResult 'C header up to date' $headerCurrent ([int]$headerCurrent) 0 }
    Install-InteropPeer
    Invoke-CargoTest -CargoSource $cargoSource
    Invoke-CTest
    Invoke-HardeningCheck -CargoSource $cargoSource
    Invoke-PesterSuite 'tests/pester'
    Invoke-PesterSuite 'tools/KrPester/tests'
    exit $(if (Write-TestSummary) { 0 } else { 1 })
}
catch {
    [Console]::Error.WriteLine("build.ps1: $($_.Exception.Message)")
    exit 1
}
finally {
    $null = $ExecutionContext.SessionState.Path.SetLocation($startLocation.Path)
}
