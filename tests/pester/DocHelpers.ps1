# Helpers for the documentation tests (Help.Tests.ps1, UserGuide.Tests.ps1): reading the cmdlet pages and
# the guide, and running their snippets in a child PowerShell process (DocSnippetRunner.ps1) against the
# staged module. Dot-source after TestHelpers.ps1.

# The pages of docs/cmdlets as tools/ConvertTo-MamlHelp.ps1 reads them (the same parser as the build).
function Get-DocPage {
    param([string] $Folder = (Join-Path $script:RepoRoot 'docs/cmdlets'))
    & (Join-Path $script:RepoRoot 'tools/ConvertTo-MamlHelp.ps1') -Path $Folder -AsObject
}

# The ```powershell blocks of a Markdown file, in order, with the (1-based) number of their first code line.
function Get-DocCodeBlock {
    param([string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $blocks = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^\s*```(\w*)\s*$') {
            $language = $Matches[1]
            $start = $i + 2
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $lines.Count -and $lines[$i] -notmatch '^\s*```\s*$') { $body.Add($lines[$i]); $i++ }
            if ($language -in 'powershell', 'pwsh', 'ps1') {
                $blocks.Add([pscustomobject]@{ Line = $start; Code = ($body -join "`n") })
            }
        }
    }
    $blocks.ToArray()
}

# Runs snippets (objects with Id and Code) in a child process; returns a hashtable Id -> result
# (Passed, Message, Output). -SharedSession runs them in order in one runspace; otherwise each gets a
# fresh one. -Variables are set in every runspace before its snippets run; -Location is their current
# location (default: a scratch folder).
function Invoke-DocSnippet {
    param(
        [Parameter(Mandatory)] [object[]] $Snippet,
        [hashtable] $Variables = @{},
        [switch] $SharedSession,
        [string] $Location,
        [string] $ModulePath = $script:ModuleManifest
    )
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-snippets-' + [Guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $work
    try {
        $snippetFile = Join-Path $work 'snippets.clixml'
        $output = Join-Path $work 'results.clixml'
        $variableTexts = @{}
        foreach ($key in $Variables.Keys) { $variableTexts[[string]$key] = [string]$Variables[$key] }
        $snippetTexts = @(foreach ($s in $Snippet) { [pscustomobject]@{ Id = [string]$s.Id; Code = [string]$s.Code } })
        [pscustomobject]@{ Variables = $variableTexts; Snippets = $snippetTexts } | Export-Clixml -LiteralPath $snippetFile

        $arguments = @('-File', (Join-Path $script:RepoRoot 'tests/pester/DocSnippetRunner.ps1'),
            '-SnippetFile', $snippetFile, '-ResultFile', $output, '-ModulePath', $ModulePath)
        if ($SharedSession) { $arguments += '-SharedSession' }
        if ($Location) { $arguments += @('-Location', $Location) }
        $run = Invoke-TestPwsh $arguments
        if (-not (Test-Path -LiteralPath $output)) {
            throw "The snippet runner failed (exit code $($run.ExitCode)): $($run.Output)"
        }
        $results = @{}
        foreach ($result in Import-Clixml -LiteralPath $output) { $results[[string]$result.Id] = $result }
        $results
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }
}
