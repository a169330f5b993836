# Thread safety: one builder template, one validation-parameters object and one bearer scheme shared
# by a RunspacePool of 8 runspaces (each imports the module), issuing, validating and renewing tokens
# concurrently. Every result must be right and no runspace may see an error.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))

    $script:Runspaces = 8
    $script:PerRunspace = 200

    $script:Template = New-TestBuilder -Issuer 'ConcurrencyIssuer' -Audience 'ConcurrencyClients' |
        Add-KrJWTHeader -Name 'x-template' -Value 'shared' |
        Limit-KrJWTValidity -Minutes 5
    $script:TemplateBefore = $script:Template.Describe()
    $script:Validation = $script:Template | Build-KrJWT | Get-KrJWTValidationParameter
    Add-KrJWTBearerAuthentication -Name 'concurrency' -ValidationParameter $script:Validation -ClaimPolicy @{
        Even = @{ Claim = 'parity'; Values = 'even' }
    }

    $iss = [initialsessionstate]::CreateDefault2()
    $iss.ImportPSModule($script:ModuleManifest)
    $script:Pool = [runspacefactory]::CreateRunspacePool(1, $script:Runspaces, $iss, $Host)
    $script:Pool.Open()

    # Runs $Script once per runspace slot with (slot, count, template, validation, then $ArgumentList) and
    # returns the outputs of every slot, failing on any error record.
    function Invoke-Concurrently {
        param([scriptblock] $Script, [object[]] $ArgumentList = @())
        $jobs = foreach ($slot in 1..$script:Runspaces) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $script:Pool
            $null = $ps.AddScript($Script).AddArgument($slot).AddArgument($script:PerRunspace).AddArgument($script:Template).AddArgument($script:Validation)
            foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
            [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
        }
        $results = [System.Collections.Generic.List[object]]::new()
        $errors = [System.Collections.Generic.List[string]]::new()
        foreach ($job in $jobs) {
            if (-not $job.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120))) { throw 'A runspace did not finish within 120 s.' }
            try {
                foreach ($item in $job.PowerShell.EndInvoke($job.Handle)) { $results.Add($item) }
            }
            catch { $errors.Add("EndInvoke: $($_.Exception.Message)") }
            foreach ($e in $job.PowerShell.Streams.Error) { $errors.Add("$e") }
            $job.PowerShell.Dispose()
        }
        [pscustomobject]@{ Results = $results; Errors = $errors }
    }

    # Runs $Iteration $script:PerRunspace times in every runspace slot with (slot, i, template, validation):
    # it outputs nothing when all is right, else what was wrong. Asserts that no runspace saw an error and
    # that every iteration came out right. The iteration travels as text and each runspace makes its own
    # script block of it (a script block runs in the runspace that made it).
    function Assert-EveryIterationRight {
        param([scriptblock] $Iteration)
        $run = Invoke-Concurrently -ArgumentList $Iteration.ToString() {
            param($Slot, $Count, $Template, $Validation, $IterationText)
            $ErrorActionPreference = 'Stop'
            $iteration = [scriptblock]::Create($IterationText)
            $ok = 0
            $bad = [System.Collections.Generic.List[string]]::new()
            for ($i = 0; $i -lt $Count; $i++) {
                $wrong = & $iteration $Slot $i $Template $Validation
                if ($wrong) { $bad.Add("$wrong") } else { $ok++ }
            }
            [pscustomobject]@{ Slot = $Slot; Ok = $ok; Bad = $bad.ToArray() }
        }
        $run.Errors | Should -HaveCount 0
        $run.Results | Should -HaveCount $script:Runspaces
        foreach ($r in $run.Results) {
            $r.Bad | Should -HaveCount 0
            $r.Ok | Should -Be $script:PerRunspace
        }
    }
}

AfterAll {
    if ($script:Pool) { $script:Pool.Dispose() }
    $null = [KrJwt.JwtBearerSchemes]::Remove('concurrency')
}

Describe 'Concurrent use of shared KrJwt objects (RunspacePool of 8)' {
    It 'issues and validates 8 x 200 tokens from one template and one validation-parameters object' {
        Assert-EveryIterationRight {
            param($Slot, $i, $Template, $Validation)
            $subject = "user-$Slot-$i"
            $result = Copy-KrJWTTokenBuilder -Builder $Template |
                Add-KrJWTSubject -Subject $subject |
                Add-KrJWTClaim -UserClaimType Name -Value $subject |
                Add-KrJWTHeader -Name 'x-slot' -Value "$Slot" |
                Build-KrJWT
            $report = Test-KrJWT -Token $result.Token -ValidationParameter $Validation -Detailed
            $fast = Test-KrJWT -Token $result.Token -ValidationParameter $Validation
            if (-not ($report.IsValid -and $fast -and $report.Claims['sub'] -eq $subject -and $report.Claims['unique_name'] -eq $subject -and
                    $report.Header['x-slot'] -eq "$Slot" -and $report.Header['x-template'] -eq 'shared' -and $result.Subject -eq $subject)) {
                "$subject -> $($report.Reason) $($report.Claims['sub'])"
            }
        }
    }

    It 'leaves the shared template exactly as it was (copies share nothing, headers included)' {
        $script:Template.Describe() | Should -BeExactly $script:TemplateBefore
    }

    It 'renews and checks bearer tokens from request contexts concurrently (shared scheme and policy)' {
        Assert-EveryIterationRight {
            param($Slot, $i, $Template, $Validation)
            $subject = "renew-$Slot-$i"
            $parity = if ($i % 2) { 'odd' } else { 'even' }
            $token = Copy-KrJWTTokenBuilder -Builder $Template | Add-KrJWTSubject -Subject $subject |
                Add-KrJWTClaim -ClaimType 'parity' -Value $parity | Build-KrJWT | Get-KrJWTToken
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $token" } } }
            $renewed = $Template | Update-KrJWT -FromContext -Lifetime ([TimeSpan]::FromMinutes(1))
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "bearer $renewed" } } }
            $report = Test-KrJWT -FromContext -Scheme 'concurrency' -Policy 'Even' -Detailed
            $expected = $parity -eq 'even'
            if (-not ($report.Reason -eq 'Valid' -and $report.Claims['sub'] -eq $subject -and $report.PolicySatisfied -eq $expected -and
                    $report.StatusCode -eq $(if ($expected) { 200 } else { 403 }))) {
                "$subject -> $($report.Reason) $($report.StatusCode)"
            }
        }
    }

    It 'registers and resolves schemes from several runspaces at once' {
        $run = Invoke-Concurrently {
            param($Slot, $Count, $Template, $Validation)
            $ErrorActionPreference = 'Stop'
            $ok = 0
            $token = $Template | Build-KrJWT | Get-KrJWTToken
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $token" } } }
            for ($i = 0; $i -lt 50; $i++) {
                Add-KrJWTBearerAuthentication -Name "race-$Slot" -ValidationParameter $Validation -WarningAction SilentlyContinue
                if (Test-KrJWT -FromContext -Scheme "race-$Slot") { $ok++ }
            }
            $null = [KrJwt.JwtBearerSchemes]::Remove("race-$Slot")
            [pscustomobject]@{ Slot = $Slot; Ok = $ok; Bad = @() }
        }
        $run.Errors | Should -HaveCount 0
        foreach ($r in $run.Results) { $r.Ok | Should -Be 50 }
        @([KrJwt.JwtBearerSchemes]::Names | Where-Object { $_ -like 'race-*' }) | Should -HaveCount 0
    }
}
