# docs/guide.md: every ```powershell block runs, in order, in one child session (DocSnippetRunner.ps1
# -SharedSession, current location the repository root, the staged module imported). Blocks whose first
# line is "# requires: server" run against examples/server.ps1, started here on a free loopback port; they
# get its URL in $ServerUrl. Blocks whose first line is "# requires: provider" also need an OpenID Provider
# (tests/oidc, OidcHelpers.ps1), started here too: they get its URL in $Authority and its test client in
# $ClientId/$ClientSecret, and the server is started with -Authority so that it accepts its tokens. A block whose first line is "# not run: <reason>" is skipped, and only for a
# reason this test knows and checks (below). The guide also has to cover every exported cmdlet.

Describe 'User guide (docs/guide.md)' {
    # Discovery: one test case per block.
    $blockCases = @()
    $lines = Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../docs/guide.md')
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^\s*```(powershell|pwsh|ps1)\s*$') {
            $first = if ($i + 1 -lt $lines.Count) { $lines[$i + 1] } else { '' }
            $kind = if ($first -match '^\s*#\s*requires:\s*(server|provider)') { $Matches[1] } elseif ($first -match '^\s*#\s*not run:') { 'skipped' } else { 'offline' }
            $blockCases += @{ Line = $i + 2; Kind = $kind }
        }
    }

    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'DocHelpers.ps1')
        . (Join-Path $PSScriptRoot 'OidcHelpers.ps1')
        $script:GuidePath = Join-Path $script:RepoRoot 'docs/guide.md'
        $script:Blocks = @(Get-DocCodeBlock $script:GuidePath)
        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-guide-' + [Guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $script:Work

        # Why a block may be skipped: each reason comes with the check that it holds for the block.
        $script:SkipReasons = @{
            # Installing from the PowerShell Gallery needs the network; the session has the built module.
            gallery = {
                param([string] $Code)
                $commands = @([regex]::Matches($Code, '(?m)^\s*([A-Za-z]+-[A-Za-z]+)') | ForEach-Object { $_.Groups[1].Value })
                $commands.Count -gt 0 -and @($commands | Where-Object { $_ -notin 'Install-Module', 'Import-Module', 'Find-Module', 'Update-Module' }).Count -eq 0 -and
                $commands -contains 'Install-Module'
            }
        }

        # The OpenID Provider, then the example server accepting its tokens, when the guide has blocks that need them.
        $script:Provider = $null
        $script:ProviderAudience = 'urn:krjwt:example-server'
        if (@($script:Blocks | Where-Object { $_.Code -match '^\s*#\s*requires:\s*provider' }).Count -gt 0) {
            $script:Provider = Start-TestOidcProvider -KeyIds 'guide'
        }
        $script:Server = $null
        $script:ServerUrl = $null
        $needsServer = @($script:Blocks | Where-Object { $_.Code -match '^\s*#\s*requires:\s*(server|provider)' }).Count -gt 0
        if ($needsServer) {
            $script:StopFile = Join-Path $script:Work 'stop'
            $serverArguments = @('-StopFile', $script:StopFile)
            if ($script:Provider) { $serverArguments += '-Authority', $script:Provider.Url, '-ProviderAudience', $script:ProviderAudience }
            $script:Server = Start-TestServer -Folder $script:Work -ArgumentList $serverArguments
            $script:ServerUrl = $script:Server.Url
        }

        # Every block that is not skipped, in order, in one session.
        $runnable = for ($i = 0; $i -lt $script:Blocks.Count; $i++) {
            $block = $script:Blocks[$i]
            if ($block.Code -notmatch '^\s*#\s*not run:') { [pscustomobject]@{ Id = [string]$block.Line; Code = $block.Code } }
        }
        $variables = @{}
        if ($script:ServerUrl) { $variables['ServerUrl'] = $script:ServerUrl }
        if ($script:Provider) {
            $variables['Authority'] = $script:Provider.Url
            $variables['ClientId'] = $script:OidcClient
            $variables['ClientSecret'] = $script:OidcSecret
        }
        $script:Results = Invoke-DocSnippet -Snippet @($runnable) -SharedSession -Variables $variables -Location $script:RepoRoot
    }

    AfterAll {
        if ($script:Server) {
            Set-Content -LiteralPath $script:StopFile -Value 'stop' -ErrorAction Ignore
            $null = $script:Server.Process.WaitForExit(10000)
            Stop-TestProcess $script:Server
        }
        if ($script:Provider) {
            Stop-TestProcess $script:Provider
            Remove-TestOidcKeyFolder $script:Provider
        }
        if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore }
    }

    It 'has PowerShell blocks, some of them against the example server' {
        $script:Blocks.Count | Should -BeGreaterThan 10
        @($script:Blocks | Where-Object { $_.Code -match '^\s*#\s*requires:\s*server' }).Count | Should -BeGreaterThan 0
    }

    It 'block at line <Line> runs (<Kind>)' -TestCases @($blockCases | Where-Object { $_.Kind -ne 'skipped' }) {
        $result = $script:Results[[string]$Line]
        $result | Should -Not -BeNullOrEmpty
        $result.Message | Should -BeNullOrEmpty
        $result.Passed | Should -BeTrue
    }

    It 'block at line <Line> is skipped for a known reason that holds' -TestCases @($blockCases | Where-Object { $_.Kind -eq 'skipped' }) {
        $block = $script:Blocks | Where-Object Line -EQ $Line
        $block.Code -match '^\s*#\s*not run:\s*(\w+)' | Should -BeTrue
        $reason = $Matches[1]
        $script:SkipReasons.ContainsKey($reason) | Should -BeTrue -Because "'$reason' must be one of: $($script:SkipReasons.Keys -join ', ')"
        & $script:SkipReasons[$reason] $block.Code | Should -BeTrue -Because "the block must be what '$reason' allows to skip"
    }

    It 'the server answered the guide''s requests' {
        $script:ServerUrl | Should -Not -BeNullOrEmpty
        $log = Get-Content -LiteralPath $script:Server.OutFile -Raw
        $log | Should -Match 'GET /token/new 200'
        $log | Should -Match 'GET /secure/hello 200'
        $log | Should -Match 'GET /secure/policy 403'
        $log | Should -Match 'GET /token/renew 200'
        $log | Should -Match 'GET /.well-known/jwks.json 200'
        $log | Should -Match 'GET /provider/hello 200'
        $log | Should -Match 'GET /provider/hello 401'
    }

    It 'mentions every exported cmdlet' {
        $text = Get-Content -LiteralPath $script:GuidePath -Raw
        $missing = @((Get-Module KrJwt).ExportedCmdlets.Keys | Where-Object { -not $text.Contains($_) })
        $missing -join ', ' | Should -BeNullOrEmpty
    }

    It 'links only to cmdlet pages that exist' {
        $text = Get-Content -LiteralPath $script:GuidePath -Raw
        $missing = foreach ($m in [regex]::Matches($text, '\]\((cmdlets/[^)]+\.md)\)')) {
            if (-not (Test-Path -LiteralPath (Join-Path $script:RepoRoot "docs/$($m.Groups[1].Value)"))) { $m.Groups[1].Value }
        }
        @($missing) -join ', ' | Should -BeNullOrEmpty
    }
}
