#!/usr/bin/env pwsh
#Requires -Version 7.4
<#
.SYNOPSIS
Builds KrJwt: the native library, its C header, the PowerShell module staged under out/KrJwt/; with -Test
runs every test suite.
.DESCRIPTION
Runs under PowerShell 7.4 or later: the pwsh on PATH, or the one build.sh installs as a local .NET tool.
Child PowerShell processes (smoke import, examples, tests, benchmarks) are the same PowerShell, started
with the command line tools/Get-PwshCommand.ps1 gives.

Without switches: build, stage, import the staged module in a child process, run examples/quickstart.ps1.
With -Test: build, stage, then run cargo test, the C programs in tests/c, the memory checks and fuzz
regression, and the Pester suite tests/pester with Pester 5 (Invoke-Pester; Pester 5.7.1 is fetched from
NuGet into out/modules when no Pester 5 is installed); exit 1 if anything failed. The last line printed is
the total "N passed, N failed" over every suite.
.PARAMETER Test
Run every test suite after building.
.PARAMETER Bench
Run the PowerShell benchmarks (benches/KrJwt.Bench.ps1) after building, in a child process.
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
# workspace depends on, the OpenSSL headers and static libraries, cbindgen and a C compiler. Extend this
# list when the crate gains a dependency.
$DebianPackages = @(
    'librust-openssl-dev', 'librust-serde-json-dev', 'librust-serde-derive-dev', 'librust-serde-dev',
    'librust-hmac-dev', 'librust-sha2-dev', 'librust-base64-dev', 'librust-zeroize-dev', 'librust-subtle-dev',
    'librust-libc-dev', 'librust-criterion-dev', 'librust-proptest-dev', 'librust-jsonwebtoken-dev',
    'libssl-dev', 'pkg-config', 'cbindgen', 'gcc',
    # Hardening checks: libFuzzer and the sanitizer runtimes, and valgrind.
    'clang-14', 'libclang-rt-14-dev', 'valgrind'
)
# Where those packages put the crates; cargo reads it through source replacement given on its command line.
$DebianRegistry = '/usr/share/cargo/registry'
# The Pester fetched from NuGet when no Pester 5 is installed.
$PesterVersion = '5.7.1'

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ReleaseDir = Join-Path $Root 'target/release'
$NativeLibrary = if ($IsWindows) { 'krjwt.dll' } elseif ($IsMacOS) { 'libkrjwt.dylib' } else { 'libkrjwt.so' }
# The library as shipped: stripped, its debug information kept beside it (never staged).
$NativeDir = Join-Path $OutDir 'build/native'
$os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
$RuntimeId = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
# The command line of this PowerShell, for child processes.
$Pwsh = @(& (Join-Path $Root 'tools/Get-PwshCommand.ps1'))

#region Helpers

function Write-Section([string] $Title) {
    Write-Host ''
    Write-Host "==> $Title"
}

function Write-Note([string] $Text) {
    Write-Host "    $Text"
}

# Runs a program with its output streamed as it comes (stderr untouched, stdout line by line, each line
# also given to $OnLine); returns the exit code.
function Invoke-Tool([string] $FilePath, [string[]] $ArgumentList, [scriptblock] $OnLine) {
    & $FilePath @ArgumentList | ForEach-Object {
        Write-Host $_
        if ($OnLine) { & $OnLine $_ }
    }
    $LASTEXITCODE
}

function Invoke-Required([string] $FilePath, [string[]] $ArgumentList) {
    $code = Invoke-Tool $FilePath $ArgumentList
    if ($code -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $code." }
}

# A child PowerShell (the same one as this) with the given arguments; see Invoke-Tool.
function Invoke-Pwsh([string[]] $ArgumentList, [scriptblock] $OnLine) {
    Invoke-Tool $Pwsh[0] (@($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $ArgumentList) $OnLine
}

function Test-Tool([string] $Name) {
    $null -ne (Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue)
}

function Remove-Directory([string] $Path) {
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
}

#endregion

#region Build steps

# Chooses the crate source and makes sure every tool and crate the build needs is there; returns the
# arguments that point cargo at the chosen source.
function Initialize-Prerequisite {
    Write-Section 'Prerequisites'
    Write-Note "PowerShell $($PSVersionTable.PSVersion) ($($Pwsh -join ' '))"
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
        if (-not (Test-Path -LiteralPath $DebianRegistry)) {
            throw "Debian's cargo registry $DebianRegistry is missing although its packages are installed."
        }
    }

    $compiler = @('cc', 'gcc') | Where-Object { Test-Tool $_ } | Select-Object -First 1
    $needed = [ordered]@{
        cargo    = 'Rust (https://rustup.rs, or apt-get install cargo)'
        dotnet   = 'the .NET SDK 8 or later'
        cbindgen = 'cbindgen (cargo install cbindgen, or apt-get install cbindgen)'
    }
    if ($IsLinux) { $needed.objcopy = 'binutils (objcopy splits the debug information off the library)' }
    if ($IsMacOS) { $needed.dsymutil = 'the Xcode command line tools (dsymutil)' }
    $absent = @($needed.Keys | Where-Object { -not (Test-Tool $_) } | ForEach-Object { "$_`: install $($needed[$_])" })
    if (-not $compiler) { $absent += 'a C compiler (cc or gcc)' }
    if (-not $IsWindows) {
        $script:OpenSsl = Find-StaticOpenSsl
        if (-not $script:OpenSsl) {
            $absent += 'OpenSSL 3 headers and static libraries (libssl.a, libcrypto.a) found by pkg-config (libssl-dev; see docs/releasing.md for other systems)'
        }
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

# OpenSSL's library and include folders (pkg-config) when its static libraries are there; else $null.
function Find-StaticOpenSsl {
    if (-not (Test-Tool 'pkg-config')) { return $null }
    $lib = & pkg-config --variable=libdir openssl 2>$null
    $include = & pkg-config --variable=includedir openssl 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $lib -or -not $include) { return $null }
    foreach ($archive in 'libssl.a', 'libcrypto.a') {
        if (-not (Test-Path -LiteralPath (Join-Path $lib $archive))) { return $null }
    }
    [pscustomobject]@{ LibDir = $lib; IncludeDir = $include; Version = (& pkg-config --modversion openssl) }
}

# Cargo.lock is not committed and pins versions of one crate source; one made from the other source
# (Debian's versions are not crates.io's) would not resolve, so it is dropped and made again.
function Reset-StaleLockFile([string] $Source) {
    $lock = Join-Path $Root 'Cargo.lock'
    $marker = Join-Path $Root 'target/krjwt-crate-source'
    $previous = if (Test-Path -LiteralPath $marker) { (Get-Content -LiteralPath $marker -Raw).Trim() }
    if ((Test-Path -LiteralPath $lock) -and $previous -ne $Source) {
        Write-Note "Removing Cargo.lock (not made from $Source crates)"
        Remove-Item -LiteralPath $lock
    }
    $null = New-Item -ItemType Directory -Force (Join-Path $Root 'target')
    Set-Content -LiteralPath $marker -Value $Source -NoNewline
}

# The release library with OpenSSL linked in statically, then the shipped copy: stripped, its debug
# information split off beside it in out/build/native.
function Build-NativeLibrary([string[]] $CargoSource) {
    Write-Section 'Native library: cargo build --release (OpenSSL linked statically)'
    if (-not (Test-Path -LiteralPath (Join-Path $Root 'Cargo.toml'))) { throw 'Cargo.toml is missing: the krjwt crate is not in this tree.' }
    # openssl-sys links statically only when it is given the folders (found through pkg-config it links
    # dynamically whatever OPENSSL_STATIC says). Source paths are remapped so that no path of this machine
    # ends up in the library's panic locations. Set for this build only: cargo test keeps its own flags.
    $saved = @{}
    $settings = @{ CARGO_ENCODED_RUSTFLAGS = (Get-RemapRustFlag) -join [char]0x1f }
    if ($script:OpenSsl) {
        $settings.OPENSSL_STATIC = '1'
        $settings.OPENSSL_LIB_DIR = $script:OpenSsl.LibDir
        $settings.OPENSSL_INCLUDE_DIR = $script:OpenSsl.IncludeDir
    }
    foreach ($name in $settings.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        Set-Item "Env:$name" $settings[$name]
    }
    try {
        Invoke-Required 'cargo' ($CargoSource + @('build', '--release'))
    }
    finally {
        foreach ($name in $saved.Keys) {
            if ($null -eq $saved[$name]) { Remove-Item "Env:$name" } else { Set-Item "Env:$name" $saved[$name] }
        }
    }
    $built = Join-Path $ReleaseDir $NativeLibrary
    if (-not (Test-Path -LiteralPath $built)) { throw "cargo did not produce $built." }
    Write-Note "Built $built$(if ($script:OpenSsl) { " with OpenSSL $($script:OpenSsl.Version), linked statically" })"

    Remove-Directory $NativeDir
    $null = New-Item -ItemType Directory -Force $NativeDir
    $shipped = Join-Path $NativeDir $NativeLibrary
    if ($IsLinux) {
        Invoke-Required 'objcopy' @('--only-keep-debug', $built, "$shipped.debug")
        Invoke-Required 'objcopy' @('--strip-unneeded', "--add-gnu-debuglink=$shipped.debug", $built, $shipped)
    }
    elseif ($IsMacOS) {
        Invoke-Required 'dsymutil' @($built, '-o', "$shipped.dSYM")
        Copy-Item -LiteralPath $built -Destination $shipped
        Invoke-Required 'strip' @('-x', $shipped)
    }
    else {
        # Windows: the debug information is already apart, in krjwt.pdb beside the library.
        Copy-Item -LiteralPath $built -Destination $shipped
    }
    Write-Note ("Shipped copy {0} ({1:N1} MB; debug information beside it)" -f $shipped, ((Get-Item -LiteralPath $shipped).Length / 1MB))
}

# rustc flags that replace this machine's source folders (the repository, the crate registries) by
# fixed names in the library; on Windows the library names its .pdb without a folder.
function Get-RemapRustFlag {
    $prefixes = [ordered]@{ $Root = '/krjwt' }
    $cargoHome = if ($env:CARGO_HOME) { $env:CARGO_HOME } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cargo' }
    $prefixes[(Join-Path $cargoHome 'registry')] = '/cargo/registry'
    $prefixes[(Join-Path $cargoHome 'git')] = '/cargo/git'
    $prefixes[$DebianRegistry] = '/cargo/registry'
    foreach ($prefix in $prefixes.Keys) { "--remap-path-prefix=$prefix=$($prefixes[$prefix])" }
    if ($IsWindows) { '-Clink-arg=/PDBALTPATH:%_PDB%' }
    if ($env:RUSTFLAGS) { $env:RUSTFLAGS.Split(' ', [StringSplitOptions]::RemoveEmptyEntries) }
}

# Regenerates include/krjwt.h from the C-ABI module src/ffi/ (the module path rather than the crate, so
# that cbindgen needs no cargo metadata, hence no crate registry). With -Test the header is generated
# aside and compared instead: a committed header that no longer matches the code fails the run.
# Returns $false when it is stale.
function Update-Header {
    if (-not (Test-Path -LiteralPath (Join-Path $Root 'cbindgen.toml'))) { return $true }
    Write-Section 'C header: cbindgen'
    $committed = Join-Path $Root 'include/krjwt.h'
    $target = if ($Test) { [System.IO.Path]::GetTempFileName() } else { $committed }
    $null = New-Item -ItemType Directory -Force (Join-Path $Root 'include')
    Invoke-Required 'cbindgen' @('--quiet', '--config', (Join-Path $Root 'cbindgen.toml'), '--output', $target, (Join-Path $Root 'src/ffi/mod.rs'))
    if (-not $Test) {
        Write-Note 'Wrote include/krjwt.h'
        return $true
    }
    try {
        $current = if (Test-Path -LiteralPath $committed) { (Get-Content -LiteralPath $committed -Raw) -replace "`r`n", "`n" }
        if ($current -ne ((Get-Content -LiteralPath $target -Raw) -replace "`r`n", "`n")) {
            Write-Host 'FAILED: stale header: run ./build.sh and commit include/krjwt.h'
            return $false
        }
        Write-Note 'include/krjwt.h is up to date'
        $true
    }
    finally {
        Remove-Item -LiteralPath $target
    }
}

# Builds the module assembly and stages a ready-to-import module in out/KrJwt: the assembly, manifest and
# format file, and the shipped native library under runtimes/<rid>/native/ (its one copy, where the
# module's loader looks). No .pdb: debug information stays in out/build. $false when the module project
# does not exist yet.
function Build-Module {
    Write-Section 'PowerShell module: dotnet build'
    $project = Join-Path $Root 'powershell/KrJwt.csproj'
    if (-not (Test-Path -LiteralPath $project)) {
        Write-Host 'WARNING: powershell/KrJwt.csproj does not exist yet: the module is not built or staged.'
        return $false
    }
    $buildDir = Join-Path $OutDir 'build/KrJwt'
    Remove-Directory $buildDir
    Invoke-Required 'dotnet' @('build', $project, '-c', 'Release', '-o', $buildDir, '-nologo')

    $stage = Join-Path $OutDir 'KrJwt'
    Remove-Directory $stage
    $native = Join-Path $stage "runtimes/$RuntimeId/native"
    $null = New-Item -ItemType Directory -Force $native
    $files = @((Join-Path $buildDir 'KrJwt.dll'), (Join-Path $Root 'powershell/KrJwt.psd1')) +
        @(Get-ChildItem -LiteralPath (Join-Path $Root 'powershell') -Filter '*.ps1xml' | ForEach-Object FullName)
    Copy-Item -LiteralPath $files -Destination $stage
    Copy-Item -LiteralPath (Join-Path $NativeDir $NativeLibrary) -Destination $native
    Write-Note "Staged runtimes/$RuntimeId/native/$NativeLibrary"
    Write-Note "Staged $stage"

    Write-Section 'Smoke test: Import-Module out/KrJwt/KrJwt.psd1'
    $env:KRJWT_MODULE = Join-Path $stage 'KrJwt.psd1'
    $code = Invoke-Pwsh @('-Command', @'
Import-Module $env:KRJWT_MODULE -ErrorAction Stop
$module = Get-Module KrJwt
"    Imported KrJwt $($module.Version) with $($module.ExportedCommands.Count) commands"
'@)
    if ($code -ne 0) { throw "Importing the staged module failed (exit code $code)." }
    $true
}

# Completes the staged module: the MAML help compiled from docs/cmdlets and the about_KrJwt topic
# (Get-Help); with -Package, the Gallery package.
function Complete-ModuleStage {
    $stage = Join-Path $OutDir 'KrJwt'
    Write-Section 'Help: docs/cmdlets -> out/KrJwt/en-US/KrJwt.dll-Help.xml'
    & (Join-Path $Root 'tools/ConvertTo-MamlHelp.ps1') -Path (Join-Path $Root 'docs/cmdlets') -OutputPath (Join-Path $stage 'en-US/KrJwt.dll-Help.xml')
    Write-Note "Compiled $(@(Get-ChildItem -LiteralPath (Join-Path $Root 'docs/cmdlets') -Filter '*.md').Count) cmdlet pages"
    # The conceptual topic (Get-Help about_KrJwt) is plain text, staged as it is.
    Copy-Item -LiteralPath (Join-Path $Root 'docs/about_KrJwt.help.txt') -Destination (Join-Path $stage 'en-US/about_KrJwt.help.txt') -Force
    Write-Note 'Staged en-US/about_KrJwt.help.txt'

    if ($Package) {
        Write-Section 'Package: out/package'
        Write-Note "Wrote $(& (Join-Path $Root 'tools/New-KrModulePackage.ps1') -ModulePath $stage -OutputDirectory (Join-Path $OutDir 'package'))"
    }
}

#endregion

#region Test suites

# The Rust interop tests drive npm's jose (tests/interop), the OpenID Connect tests npm's oidc-provider
# (tests/oidc); a peer's packages are installed from its lock file when they are missing or older than it.
function Install-InteropPeer([string] $Peer = 'tests/interop') {
    $folder = Join-Path $Root $Peer
    $lock = Join-Path $folder 'package-lock.json'
    if (-not (Test-Path -LiteralPath $lock)) { return }
    $installed = Join-Path $folder 'node_modules/.package-lock.json'
    if ((Test-Path -LiteralPath $installed) -and (Get-Item -LiteralPath $installed -Force).LastWriteTimeUtc -ge (Get-Item -LiteralPath $lock).LastWriteTimeUtc) { return }
    Write-Section "Test setup: npm ci --prefix $Peer"
    if (-not ((Test-Tool 'node') -and (Test-Tool 'npm'))) { throw 'The interop tests need Node.js 20 or later with npm (node and npm on PATH).' }
    Invoke-Required 'npm' @('ci', '--prefix', $folder, '--no-audit', '--no-fund')
}

# Makes Pester 5 available to child processes: an installed Pester 5 or later as it is; otherwise Pester
# $PesterVersion from NuGet (the package holds the module under tools/), unpacked into out/modules, which
# goes first on PSModulePath.
function Initialize-Pester {
    Write-Section 'Test setup: Pester 5'
    $installed = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) {
        Write-Note "Pester $($installed.Version) ($($installed.ModuleBase))"
        return
    }
    $modules = Join-Path $OutDir 'modules'
    $module = Join-Path $modules "Pester/$PesterVersion"
    if (-not (Test-Path -LiteralPath (Join-Path $module 'Pester.psd1'))) {
        Write-Note "Fetching Pester $PesterVersion from NuGet"
        $work = Join-Path $OutDir 'build/pester'
        Remove-Directory $work
        $null = New-Item -ItemType Directory -Force $work
        $project = Join-Path $work 'Pester.Download.csproj'
        # A project that only downloads the package, restored with the machine's NuGet sources.
        Set-Content -LiteralPath $project -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net`$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$PesterVersion]" />
  </ItemGroup>
</Project>
"@
        $packages = Join-Path $work 'packages'
        $log = & dotnet restore $project --packages $packages -nologo 2>&1
        $tools = Join-Path $packages "pester/$PesterVersion/tools"
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath (Join-Path $tools 'Pester.psd1'))) {
            throw "Could not fetch Pester $PesterVersion from NuGet (dotnet restore, exit code $LASTEXITCODE):`n$($log -join "`n")"
        }
        Remove-Directory $module
        $null = New-Item -ItemType Directory -Force $module
        Copy-Item -Path (Join-Path $tools '*') -Destination $module -Recurse
    }
    $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
    Write-Note "Pester $PesterVersion ($module)"
}

# Each suite adds one entry to $Suites: its name, whether it passed, and its test counts.
$Suites = [System.Collections.Generic.List[object]]::new()

function Add-SuiteResult([string] $Name, [bool] $Passed, [int] $PassedCount, [int] $FailedCount, [string] $Note) {
    # A suite that failed without reporting a failed test (it did not compile, crashed, ...) counts one.
    if (-not $Passed -and $FailedCount -eq 0) { $FailedCount = 1 }
    $Suites.Add([pscustomobject]@{ Name = $Name; Passed = $Passed; PassedCount = $PassedCount; FailedCount = $FailedCount; Note = $Note })
}

# The habits that keep the Rust tree readable: rustfmt.toml's layout and clippy's lints, warnings
# included, over the library, its tests and its benchmarks. Clippy takes the crate-source arguments
# after its subcommand (it runs as a cargo plugin, which does not see options given before it).
function Invoke-RustHygiene([string[]] $CargoSource) {
    Write-Section 'Test: cargo fmt --check'
    $code = Invoke-Tool 'cargo' @('fmt', '--check')
    Add-SuiteResult 'Rust format (cargo fmt --check)' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
    Write-Section 'Test: cargo clippy --all-targets -- -D warnings'
    $code = Invoke-Tool 'cargo' (@('clippy') + $CargoSource + @('--all-targets', '--', '-D', 'warnings'))
    Add-SuiteResult 'Rust lints (cargo clippy -D warnings)' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
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
    $sources = @(Get-ChildItem -Path (Join-Path $Root 'tests/c') -Filter '*.c' -ErrorAction SilentlyContinue)
    if ($sources.Count -eq 0) {
        Write-Host 'FAILED: no C test programs in tests/c'
        Add-SuiteResult 'C programs' $false 0 1
        return
    }
    $binDir = Join-Path $Root 'target/c-tests'
    $null = New-Item -ItemType Directory -Force $binDir
    $passed = 0
    $failed = 0
    foreach ($source in $sources) {
        $program = Join-Path $binDir $source.BaseName
        $code = Invoke-Tool $script:CCompiler @('-Wall', '-Wextra', '-Werror', '-I', (Join-Path $Root 'include'), $source.FullName, '-o', $program,
            '-L', $ReleaseDir, '-lkrjwt', "-Wl,-rpath,$ReleaseDir")
        if ($code -eq 0) { $code = Invoke-Tool $program @() }
        if ($code -eq 0) { $passed++; Write-Note "[+] $($source.BaseName)" } else { $failed++; Write-Note "[-] $($source.BaseName) (exit code $code)" }
    }
    Add-SuiteResult 'C programs' ($failed -eq 0) $passed $failed
}

# The C programs under AddressSanitizer/LeakSanitizer and valgrind, and the fuzz targets replaying
# their corpus plus a fixed-seed, fixed-count mutation run (deterministic, a minute or two).
function Invoke-HardeningCheck([string[]] $CargoSource) {
    Write-Section 'Test: memory checks (scripts/check-memory.sh)'
    $code = Invoke-Tool 'bash' @((Join-Path $Root 'scripts/check-memory.sh'))
    Add-SuiteResult 'Memory checks' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
    Write-Section 'Test: fuzz regression (fuzz/run.sh --runs 20000)'
    $env:KRJWT_CARGO_FLAGS = $CargoSource -join ' '
    $code = Invoke-Tool 'bash' @((Join-Path $Root 'fuzz/run.sh'), '--runs', '20000')
    Add-SuiteResult 'Fuzz targets' ($code -eq 0) ([int]($code -eq 0)) ([int]($code -ne 0))
}

# Runs a folder of Pester tests with Invoke-Pester in a child PowerShell: Pester prints its own report
# and summary ("Tests Passed: N, Failed: N, ..."), which gives the suite's counts.
function Invoke-PesterSuite([string] $Folder) {
    Write-Section "Test: Pester $Folder"
    $env:KRJWT_TEST_PATH = Join-Path $Root $Folder
    # Colours for a terminal, plain text for a log (the child's output is piped either way).
    $env:KRJWT_PESTER_RENDER = if ([Console]::IsOutputRedirected) { 'Plaintext' } else { 'Ansi' }
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $code = Invoke-Pwsh @('-Command', @'
Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop
$config = New-PesterConfiguration
$config.Run.Path = $env:KRJWT_TEST_PATH
$config.Run.Exit = $true
$config.Output.Verbosity = 'Normal'
$config.Output.RenderMode = $env:KRJWT_PESTER_RENDER
Write-Host "Pester $((Get-Module Pester).Version) in PowerShell $($PSVersionTable.PSVersion)"
Invoke-Pester -Configuration $config
'@) {
        param($line)
        $plain = $line -replace "`e\[[0-9;]*m", ''
        if ($plain -match 'Tests Passed: (\d+), Failed: (\d+), Skipped: (\d+)') {
            $counts.Passed = [int]$Matches[1]
            $counts.Failed = [int]$Matches[2]
            $counts.Skipped = [int]$Matches[3]
        }
    }
    $note = if ($counts.Skipped) { "$($counts.Skipped) skipped" }
    Add-SuiteResult "Pester $Folder" ($code -eq 0) $counts.Passed $counts.Failed $note
}

# The PowerShell benchmarks (per-call cost next to an empty cmdlet, cold import, memory), in a fresh process.
function Invoke-Benchmark {
    Write-Section 'Benchmarks: benches/KrJwt.Bench.ps1'
    $code = Invoke-Pwsh @('-File', (Join-Path $Root 'benches/KrJwt.Bench.ps1'))
    if ($code -ne 0) { throw "benches/KrJwt.Bench.ps1 failed with exit code $code." }
}

function Write-TestSummary {
    Write-Section 'Summary'
    foreach ($suite in $Suites) {
        $status = if ($suite.Passed) { 'ok    ' } else { 'FAILED' }
        $note = if ($suite.Note) { " ($($suite.Note))" } else { '' }
        Write-Note ("{0} {1,-30} {2} passed, {3} failed{4}" -f $status, $suite.Name, $suite.PassedCount, $suite.FailedCount, $note)
    }
    $passed = ($Suites | Measure-Object -Property PassedCount -Sum).Sum
    $failed = ($Suites | Measure-Object -Property FailedCount -Sum).Sum
    # The last line: CI reads it.
    Write-Host "$passed passed, $failed failed"
    $failed -eq 0 -and @($Suites | Where-Object { -not $_.Passed }).Count -eq 0
}

#endregion

Push-Location $Root
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
        Invoke-Required 'bash' @((Join-Path $Root 'fuzz/run.sh'), '--seconds', "$Seconds")
    }

    if (-not $Test) {
        $quickstart = Join-Path $Root 'examples/quickstart.ps1'
        if ($moduleBuilt -and (Test-Path -LiteralPath $quickstart)) {
            Write-Section 'Example: examples/quickstart.ps1'
            $code = Invoke-Pwsh @('-File', $quickstart)
            if ($code -ne 0) { throw "examples/quickstart.ps1 failed with exit code $code." }
        }
        Write-Section "Done: import the module with Import-Module ./out/KrJwt/KrJwt.psd1"
        exit 0
    }

    if (Test-Path -LiteralPath (Join-Path $Root 'cbindgen.toml')) { Add-SuiteResult 'C header up to date' $headerCurrent ([int]$headerCurrent) 0 }
    Install-InteropPeer
    Install-InteropPeer 'tests/oidc'
    Invoke-RustHygiene -CargoSource $cargoSource
    Invoke-CargoTest -CargoSource $cargoSource
    Invoke-CTest
    Invoke-HardeningCheck -CargoSource $cargoSource
    Initialize-Pester
    Invoke-PesterSuite 'tests/pester'
    exit $(if (Write-TestSummary) { 0 } else { 1 })
}
catch {
    [Console]::Error.WriteLine("build.ps1: $($_.Exception.Message)")
    exit 1
}
finally {
    Pop-Location
}
