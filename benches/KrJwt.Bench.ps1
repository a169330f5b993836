#!/usr/bin/env pwsh
<#
.SYNOPSIS
What the KrJwt cmdlets cost per call, measured the way a script runs them, next to an empty compiled cmdlet.

.DESCRIPTION
Run by `./build.sh -Bench` (build.ps1 -Bench builds first), or on its own after a build:

    pwsh -NoProfile -File benches/KrJwt.Bench.ps1 [-Quick] [-Validations N]

Every operation runs as script statements in a loop (`foreach ($i in 1..$n) { $null = Test-KrJWT ... }`),
after a warm-up, for several rounds; the figure is the median round's cost per call. Right before each
operation, every round also runs `Invoke-KrEmpty` (benches/EmptyCmdlet: a compiled cmdlet that binds one
string and writes $true, built here with dotnet build) in the same loop the same way: that is the floor of
any cmdlet call in this host. The ratio column is the median over rounds of operation / empty cmdlet, so a
burst of load from other processes hits both sides of a ratio alike.

Measured, with the targets of issue #7:
- Test-KrJWT HS256, -Result and -ValidationParameter sets: at most 1.5x the empty cmdlet;
- Test-KrJWT RS256 (-Result set) next to the empty cmdlet and to OpenSSL's RSA public operation called from
  C# (benches/EmptyCmdlet/RsaPublicOperation.cs: RSA_public_decrypt on the token's signature, what
  `openssl speed rsa2048` times as a verify): what it costs over the empty cmdlet, counted in RSA public
  operations, at most 1.3 (issue #17);
- Build-KrJWT, and the 8-cmdlet issue pipeline (next to 8 piped empty cmdlets): reported, no target;
- Import-Module, cold: a fresh child process of this PowerShell (tools/Get-PwshCommand.ps1) timing the
  import alone, median of several runs (after one unrecorded run that warms the OS file cache): at most 300 ms;
- resident set after a full GC at 10%, 50% and 100% of -Validations Test-KrJWT calls: flat within 5%
  (current and peak RSS, from [System.Diagnostics.Process]::GetCurrentProcess()).

The module is copied from out/KrJwt to out/bench/KrJwt first, so that a build running meanwhile cannot
change it under the measurement. The last lines are a Markdown table. The exit code is 0 when the bench
ran, whether or not a target was met (a shared machine is too noisy for a gate), 1 when it could not run.

.PARAMETER Validations
How many Test-KrJWT calls the memory check makes (default 1,000,000; 50,000 with -Quick).
.PARAMETER Quick
A short run for a smoke check: fewer calls per round, fewer rounds and import runs, 50,000 validations.
.PARAMETER Rounds
Timed rounds per operation (default 11, 5 with -Quick); the median is reported.
.PARAMETER WarmupSeconds
How long every operation runs, in turn, before the timed rounds (default 8 s, 3 s with -Quick).
.PARAMETER ImportRuns
Fresh processes timing Import-Module (default 7, 3 with -Quick); the median is reported.
.PARAMETER ModulePath
The staged module folder (default out/KrJwt).
#>
[CmdletBinding()]
param(
    [ValidateRange(10, [int]::MaxValue)]
    [int] $Validations = 1000000,
    [switch] $Quick,
    [ValidateRange(1, 100)]
    [int] $Rounds = 11,
    [ValidateRange(0, 600)]
    [double] $WarmupSeconds = 8,
    [ValidateRange(1, 100)]
    [int] $ImportRuns = 7,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if ($Quick) {
    if (-not $PSBoundParameters.ContainsKey('Validations')) { $Validations = 50000 }
    if (-not $PSBoundParameters.ContainsKey('Rounds')) { $Rounds = 5 }
    if (-not $PSBoundParameters.ContainsKey('WarmupSeconds')) { $WarmupSeconds = 3 }
    if (-not $PSBoundParameters.ContainsKey('ImportRuns')) { $ImportRuns = 3 }
}
# Calls per timed round, per operation: enough for a round to last ~0.1 s or more.
$Scale = if ($Quick) { 0.25 } else { 1.0 }
function Get-Count([int] $Full) { [Math]::Max(50, [int]($Full * $Scale)) }

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$BenchOut = "$Root/out/bench"
# The command line of the PowerShell running this script; the cold imports run in fresh processes of it.
$Pwsh = @(& "$Root/tools/Get-PwshCommand.ps1")
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture


function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Length
    if ($n % 2 -eq 1) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Format-Number([double] $Value, [string] $Format = 'N2') { $Value.ToString($Format, $Invariant) }

#region Set-up: the empty cmdlet, a private copy of the module

function Build-EmptyCmdlet {
    $project = "$PSScriptRoot/EmptyCmdlet/EmptyCmdlet.csproj"
    $output = "$BenchOut/EmptyCmdlet"
    $log = & dotnet build $project -c Release -o $output -nologo 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | ForEach-Object { Write-Host "$_" }
        throw "dotnet build $project failed with exit code $LASTEXITCODE."
    }
    "$output/EmptyCmdlet.psd1"
}

function Copy-Module {
    if (-not (Test-Path -LiteralPath (Join-Path $ModulePath 'KrJwt.psd1'))) {
        throw "No staged module at $ModulePath (KrJwt.psd1 missing): build first with ./build.sh, or pass -ModulePath."
    }
    $target = "$BenchOut/KrJwt"
    if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $BenchOut
    Copy-Item -LiteralPath $ModulePath -Destination $target -Recurse
    "$target/KrJwt.psd1"
}

#endregion

#region Machine

function Get-MachineLine {
    $cpu = 'unknown CPU'
    if (Test-Path -LiteralPath '/proc/cpuinfo') {
        $lines = @(Get-Content -LiteralPath '/proc/cpuinfo' | Where-Object { $_ -like 'model name*' })
        if ($lines.Count -gt 0) { $cpu = $lines[0].Split(':', 2)[1].Trim() }
    }
    $memory = [GC]::GetGCMemoryInfo().TotalAvailableMemoryBytes / 1GB
    "$([Environment]::ProcessorCount) logical CPUs ($cpu), $(Format-Number $memory 'N1') GiB available to .NET, " +
    "$([System.Runtime.InteropServices.RuntimeInformation]::OSDescription)"
}

# The 1-minute load average (Linux), or $null.
function Get-Load {
    if (Test-Path -LiteralPath '/proc/loadavg') { (Get-Content -LiteralPath '/proc/loadavg' -Raw).Split(' ')[0] }
}

#endregion

#region Per-call timing

# Times one loop script block ($n calls) and returns microseconds per call.
function Measure-Loop([scriptblock] $Loop, [int] $Count, [object[]] $Arguments) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $Loop $Count @Arguments
    $watch.Stop()
    $watch.Elapsed.TotalMilliseconds * 1000.0 / $Count
}

# Runs every case against the empty cmdlet. First a warm-up of every case in turn for $WarmupSeconds (the
# PowerShell compiler compiles loops after some iterations and .NET tiers up the engine's hot methods in the
# background: on 2 CPUs the empty cmdlet takes ~5 s to settle), then $Rounds rounds; in each round every case
# runs right after the empty cmdlet, so the pair sees the same machine load. Returns, per case name, the median
# microseconds per call and the median of the per-round ratios case / empty (the empty case: all its rounds).
function Measure-Case([hashtable] $Empty, [object[]] $Cases) {
    $warm = [System.Diagnostics.Stopwatch]::StartNew()
    do {
        foreach ($case in @($Empty) + $Cases) { $null = Measure-Loop $case.Loop ([Math]::Max(10, [int]($case.Count / 10))) $case.Arguments }
    } while ($warm.Elapsed.TotalSeconds -lt $WarmupSeconds)
    $emptySamples = [System.Collections.Generic.List[double]]::new()
    $samples = @{}
    $ratios = @{}
    foreach ($case in $Cases) {
        $samples[$case.Name] = [System.Collections.Generic.List[double]]::new()
        $ratios[$case.Name] = [System.Collections.Generic.List[double]]::new()
    }
    for ($round = 1; $round -le $Rounds; $round++) {
        foreach ($case in $Cases) {
            $floor = Measure-Loop $Empty.Loop $Empty.Count $Empty.Arguments
            $cost = Measure-Loop $case.Loop $case.Count $case.Arguments
            $emptySamples.Add($floor)
            $samples[$case.Name].Add($cost)
            $ratios[$case.Name].Add($cost / $floor)
        }
    }
    $medians = @{ $Empty.Name = [pscustomobject]@{ Cost = (Get-Median $emptySamples.ToArray()); Ratio = 1.0 } }
    foreach ($case in $Cases) {
        $medians[$case.Name] = [pscustomobject]@{
            Cost    = (Get-Median $samples[$case.Name].ToArray())
            Ratio   = (Get-Median $ratios[$case.Name].ToArray())
            # Per round: the cost, and the empty cmdlet's cost measured right before it.
            Samples = $samples[$case.Name].ToArray()
            Floors  = [double[]]@(for ($i = 0; $i -lt $samples[$case.Name].Count; $i++) { $samples[$case.Name][$i] / $ratios[$case.Name][$i] })
        }
    }
    $medians
}

#endregion

#region Cold import

# Median milliseconds of Import-Module alone, each in a fresh process of this host.
function Measure-ColdImport([string] $Path) {
    $env:KRJWT_BENCH_IMPORT = $Path
    $command = @'
$watch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $env:KRJWT_BENCH_IMPORT -ErrorAction Stop
$watch.Stop()
'import-ms=' + $watch.Elapsed.TotalMilliseconds.ToString([System.Globalization.CultureInfo]::InvariantCulture)
'@
    $times = [System.Collections.Generic.List[double]]::new()
    # Run 0 warms the OS file cache and is not recorded: "cold" here means a fresh process.
    for ($run = 0; $run -le $ImportRuns; $run++) {
        $lines = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Import-Module $Path in a child process failed: $($lines -join ' ')" }
        $reported = @($lines | Where-Object { "$_" -like 'import-ms=*' })
        if ($reported.Count -ne 1) { throw "The child process did not report its import time: $($lines -join ' ')" }
        if ($run -gt 0) { $times.Add([double]::Parse("$($reported[0])".Substring(10), $Invariant)) }
    }
    Get-Median $times.ToArray()
}

#endregion

#region Memory

# Resident set after a full GC, at 10%, 50% and 100% of $Validations calls of Test-KrJWT -Result.
function Measure-Memory([scriptblock] $Loop, [object[]] $Arguments) {
    $points = [System.Collections.Generic.List[object]]::new()
    $done = 0
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($percent in 10, 50, 100) {
        $upTo = [int][Math]::Round($Validations * $percent / 100.0)
        if ($upTo -gt $done) { $null = Measure-Loop $Loop ($upTo - $done) $Arguments }
        $done = $upTo
        [GC]::Collect()
        [GC]::WaitForPendingFinalizers()
        [GC]::Collect()
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        $points.Add([pscustomobject]@{
            Percent = $percent
            Calls   = $done
            Rss     = $process.WorkingSet64
            Peak    = $process.PeakWorkingSet64
            Managed = [GC]::GetTotalMemory($false)
        })
        $process.Dispose()
    }
    $watch.Stop()
    [pscustomobject]@{ Points = $points; MicrosecondsPerCall = $watch.Elapsed.TotalMilliseconds * 1000.0 / $Validations }
}

# Largest relative distance of any point from the 10% point, for one property.
function Get-Drift([object[]] $Points, [string] $Property) {
    $base = [double]$Points[0].$Property
    $drift = 0.0
    foreach ($point in $Points) { $drift = [Math]::Max($drift, [Math]::Abs([double]$point.$Property - $base) / $base) }
    $drift
}

#endregion

try {
    Write-Host '==> KrJwt PowerShell benchmark'
    Write-Host "    Host: $($Pwsh -join ' ') (PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version))"
    Write-Host "    Machine: $(Get-MachineLine)"
    Write-Host "    Load average (1 min) at start: $(Get-Load)"
    Write-Host "    Rounds: $Rounds after $WarmupSeconds s of warm-up; import runs: $ImportRuns; validations for the memory check: $Validations$(if ($Quick) { ' (-Quick)' })"

    $emptyModule = Build-EmptyCmdlet
    $modulePsd1 = Copy-Module

    Write-Host ''
    Write-Host '==> Import-Module, cold (fresh process each run)'
    $importEmpty = Measure-ColdImport $emptyModule
    $importKrJwt = Measure-ColdImport $modulePsd1
    Write-Host "    EmptyCmdlet.psd1 $(Format-Number $importEmpty) ms, KrJwt.psd1 $(Format-Number $importKrJwt) ms (median of $ImportRuns)"

    Import-Module $emptyModule
    Import-Module $modulePsd1

    # A typical HS256 token: issuer, audience, subject, two claims.
    $hexKey = 'a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90'
    $builder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://issuer.example' | Add-KrJWTAudience -Audience 'api://bench' |
        Protect-KrJWT -HexadecimalKey $hexKey -Algorithm HS256 | Add-KrJWTSubject -Subject 'user-42' |
        Add-KrJWTClaim -ClaimType 'role' -Value 'admin' | Add-KrJWTClaim -ClaimType 'scope' -Value 'read:all write:own'
    $result = Build-KrJWT -Builder $builder
    $token = $result.Token
    $parameters = Get-KrJWTValidationParameter -Result $result
    if (-not (Test-KrJWT -Token $token -Result $result) -or -not (Test-KrJWT -Token $token -ValidationParameter $parameters)) {
        throw 'The bench token does not validate: the module is broken, run ./build.sh -Test.'
    }

    # A typical RS256 token (same claims) and, for its floor, the RSA public operation on its signature.
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $rsaResult = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://issuer.example' | Add-KrJWTAudience -Audience 'api://bench' |
        Protect-KrJWT -Pem $rsa.ExportPkcs8PrivateKeyPem() -Algorithm RS256 | Add-KrJWTSubject -Subject 'user-42' |
        Add-KrJWTClaim -ClaimType 'role' -Value 'admin' | Add-KrJWTClaim -ClaimType 'scope' -Value 'read:all write:own' | Build-KrJWT
    $rsaToken = $rsaResult.Token
    if (-not (Test-KrJWT -Token $rsaToken -Result $rsaResult)) { throw 'The RS256 bench token does not validate: the module is broken.' }
    $signature = $rsaToken.Substring($rsaToken.LastIndexOf('.') + 1).Replace('-', '+').Replace('_', '/')
    $signature = [Convert]::FromBase64String($signature.PadRight($signature.Length + (4 - $signature.Length % 4) % 4, '='))
    $rsaNumbers = $rsa.ExportParameters($false)
    $rsaFloor = [KrJwt.Bench.RsaPublicOperation]::new($rsaNumbers.Modulus, $rsaNumbers.Exponent, $signature)

    $emptyCase = @{ Name = 'Empty'; Count = (Get-Count 20000); Arguments = @($token)
        Loop = { param($n, $t) foreach ($i in 1..$n) { $null = Invoke-KrEmpty -Value $t } } }
    $cases = @(
        @{ Name = 'TestResult'; Count = (Get-Count 20000); Arguments = @($token, $result)
            Loop = { param($n, $t, $r) foreach ($i in 1..$n) { $null = Test-KrJWT -Token $t -Result $r } } }
        @{ Name = 'TestParameters'; Count = (Get-Count 20000); Arguments = @($token, $parameters)
            Loop = { param($n, $t, $vp) foreach ($i in 1..$n) { $null = Test-KrJWT -Token $t -ValidationParameter $vp } } }
        @{ Name = 'TestResultRS256'; Count = (Get-Count 5000); Arguments = @($rsaToken, $rsaResult)
            Loop = { param($n, $t, $r) foreach ($i in 1..$n) { $null = Test-KrJWT -Token $t -Result $r } } }
        @{ Name = 'RsaFloor'; Count = (Get-Count 5000); Arguments = @($rsaFloor)
            Loop = { param($n, $f) $f.Run($n) } }
        @{ Name = 'Build'; Count = (Get-Count 10000); Arguments = @($builder)
            Loop = { param($n, $b) foreach ($i in 1..$n) { $null = Build-KrJWT -Builder $b } } }
        @{ Name = 'EmptyPipeline'; Count = (Get-Count 2000); Arguments = @($token)
            Loop = {
                param($n, $t)
                foreach ($i in 1..$n) {
                    $null = Invoke-KrEmpty -Value $t | Invoke-KrEmpty | Invoke-KrEmpty | Invoke-KrEmpty |
                        Invoke-KrEmpty | Invoke-KrEmpty | Invoke-KrEmpty | Invoke-KrEmpty
                }
            } }
        @{ Name = 'Pipeline'; Count = (Get-Count 2000); Arguments = @($hexKey)
            Loop = {
                param($n, $k)
                foreach ($i in 1..$n) {
                    $null = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://issuer.example' |
                        Add-KrJWTAudience -Audience 'api://bench' | Protect-KrJWT -HexadecimalKey $k -Algorithm HS256 |
                        Add-KrJWTSubject -Subject 'user-42' | Add-KrJWTClaim -ClaimType 'role' -Value 'admin' |
                        Add-KrJWTClaim -ClaimType 'scope' -Value 'read:all write:own' | Build-KrJWT
                }
            } }
    )

    Write-Host ''
    Write-Host "==> Per-call cost ($Rounds rounds, median)"
    $loadBefore = Get-Load
    $us = Measure-Case $emptyCase $cases
    Write-Host "    Load average (1 min): $loadBefore before, $(Get-Load) after"

    Write-Host ''
    Write-Host "==> Memory: RSS after full GC across $Validations validations (Test-KrJWT -Result, HS256)"
    $memory = Measure-Memory $cases[0].Loop @($token, $result)
    foreach ($point in $memory.Points) {
        Write-Host ("    {0,3}% ({1,9} calls): RSS {2} MiB, peak RSS {3} MiB, managed heap {4} MiB" -f $point.Percent, $point.Calls,
            (Format-Number ($point.Rss / 1MB) 'N1'), (Format-Number ($point.Peak / 1MB) 'N1'), (Format-Number ($point.Managed / 1MB) 'N1'))
    }
    $rssDrift = Get-Drift $memory.Points 'Rss'
    $peakDrift = Get-Drift $memory.Points 'Peak'

    # The table.
    $rows = [System.Collections.Generic.List[object]]::new()
    function Add-Row([string] $Operation, [string] $Cost, [string] $Ratio, [string] $Target, [string] $Verdict) {
        $rows.Add([pscustomobject]@{ Operation = $Operation; Cost = $Cost; Ratio = $Ratio; Target = $Target; Verdict = $Verdict })
    }
    function Add-TimedRow([string] $Operation, [object] $Measured, [double] $MaxRatio) {
        $Value = $Measured.Cost
        $ratio = $Measured.Ratio
        $target = if ($MaxRatio -gt 0) { "<= $(Format-Number $MaxRatio 'N1')x" } else { '-' }
        $verdict = if ($MaxRatio -le 0) { '-' } elseif ($ratio -le $MaxRatio) { 'pass' } else { 'FAIL' }
        Add-Row $Operation (Format-Number $Value) "$(Format-Number $ratio)x" $target $verdict
    }
    Add-TimedRow 'Invoke-KrEmpty -Value $t (empty cmdlet: the floor)' $us['Empty'] 0
    Add-TimedRow 'Test-KrJWT -Token $t -Result $r (HS256)' $us['TestResult'] 1.5
    Add-TimedRow 'Test-KrJWT -Token $t -ValidationParameter $vp (HS256)' $us['TestParameters'] 1.5
    Add-TimedRow 'Test-KrJWT -Token $t -Result $r (RS256)' $us['TestResultRS256'] 0
    Add-TimedRow 'RSA public operation (RSA_public_decrypt, from C#): the floor of RS256' $us['RsaFloor'] 0
    # Per round: what Test-KrJWT RS256 costs over the empty cmdlet run just before it, in RSA public
    # operations of the same round.
    $rs256 = $us['TestResultRS256']
    $overFloor = Get-Median ([double[]]@(for ($i = 0; $i -lt $rs256.Samples.Length; $i++) {
        ($rs256.Samples[$i] - $rs256.Floors[$i]) / $us['RsaFloor'].Samples[$i]
    }))
    Add-Row 'Test-KrJWT RS256 over the empty cmdlet, in RSA public operations' '-' "$(Format-Number $overFloor)x" '<= 1.3x' $(if ($overFloor -le 1.3) { 'pass' } else { 'FAIL' })
    Add-TimedRow 'Build-KrJWT -Builder $b (HS256)' $us['Build'] 0
    Add-TimedRow '8 empty cmdlets piped (floor of an 8-cmdlet pipeline)' $us['EmptyPipeline'] 0
    Add-TimedRow "issue pipeline, 8 cmdlets (HS256; $(Format-Number ($us['Pipeline'].Cost / $us['EmptyPipeline'].Cost))x the 8 empty)" $us['Pipeline'] 0
    Add-Row 'Import-Module EmptyCmdlet.psd1, cold (ms; the floor)' (Format-Number $importEmpty) '-' '-' '-'
    Add-Row 'Import-Module KrJwt.psd1, cold (ms)' (Format-Number $importKrJwt) "$(Format-Number ($importKrJwt / $importEmpty))x" '<= 300 ms' $(if ($importKrJwt -le 300) { 'pass' } else { 'FAIL' })
    $rssText = ($memory.Points | ForEach-Object { Format-Number ($_.Rss / 1MB) 'N1' }) -join ' / '
    $peakText = ($memory.Points | ForEach-Object { Format-Number ($_.Peak / 1MB) 'N1' }) -join ' / '
    Add-Row "RSS after GC at 10/50/100% of $Validations validations (MiB: $rssText)" "$(Format-Number $memory.MicrosecondsPerCall)" "drift $(Format-Number ($rssDrift * 100) 'N1')%" '+-5%' $(if ($rssDrift -le 0.05) { 'pass' } else { 'FAIL' })
    Add-Row "peak RSS at 10/50/100% (MiB: $peakText)" '-' "drift $(Format-Number ($peakDrift * 100) 'N1')%" '+-5%' $(if ($peakDrift -le 0.05) { 'pass' } else { 'FAIL' })

    Write-Host ''
    Write-Host '==> Results (us/call: median round; vs empty: median per-round ratio to the empty cmdlet run just before, same loop, same host)'
    Write-Host ''
    $headers = 'Operation', 'us/call', 'vs empty', 'Target', 'Result'
    $columns = 'Operation', 'Cost', 'Ratio', 'Target', 'Verdict'
    $widths = [int[]](0..4 | ForEach-Object {
            $column = $columns[$_]
            (@($headers[$_]) + @($rows | ForEach-Object $column) | Measure-Object -Property Length -Maximum).Maximum
        })
    function Format-TableLine([string[]] $Cells) {
        '| ' + $Cells[0].PadRight($widths[0]) + ' | ' + $Cells[1].PadLeft($widths[1]) + ' | ' + $Cells[2].PadLeft($widths[2]) +
        ' | ' + $Cells[3].PadRight($widths[3]) + ' | ' + $Cells[4].PadRight($widths[4]) + ' |'
    }
    Write-Host (Format-TableLine $headers)
    Write-Host ('|' + '-' * ($widths[0] + 2) + '|' + '-' * ($widths[1] + 1) + ':|' + '-' * ($widths[2] + 1) + ':|' + '-' * ($widths[3] + 2) + '|' + '-' * ($widths[4] + 2) + '|')
    foreach ($row in $rows) { Write-Host (Format-TableLine @($row.Operation, $row.Cost, $row.Ratio, $row.Target, $row.Verdict)) }
    Write-Host ''
    Write-Host "Load average (1 min) at end: $(Get-Load)"
    exit 0
}
catch {
    [Console]::Error.WriteLine("KrJwt.Bench.ps1: $($_.Exception.Message)")
    exit 1
}
