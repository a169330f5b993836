# Helpers for the documentation tests (Help.Tests.ps1, UserGuide.Tests.ps1): reading the cmdlet pages and
# the guide, and running their snippets in a child PowerShell process (DocSnippetRunner.ps1) against the
# staged module. Dot-source after TestHelpers.ps1.

# The pages of docs/cmdlets as tools/ConvertTo-MamlHelp.ps1 reads them (the same parser as the build).
function Get-DocPage {
    param([string] $Folder = [System.IO.Path]::Combine($script:RepoRoot, 'docs', 'cmdlets'))
    & ([System.IO.Path]::Combine($script:RepoRoot, 'tools', 'ConvertTo-MamlHelp.ps1')) -Path $Folder -AsObject
}

# The ```powershell blocks of a Markdown file, in order, with the (1-based) number of their first code line.
function Get-DocCodeBlock {
    param([string] $Path)
    $lines = [System.IO.File]::ReadAllLines($Path)
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

# The host that runs child processes: this one, or the bundled host when the tests run under dotnet.
function Get-DocHostPath {
    $hostPath = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($hostPath) -notin 'pwsh', 'powershell') {
        $hostPath = [System.IO.Path]::Combine($script:RepoRoot, 'out', 'pwsh', 'pwsh')
    }
    $hostPath
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
    $work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'krjwt-snippets-' + [Guid]::NewGuid().ToString('N'))
    $null = [System.IO.Directory]::CreateDirectory($work)
    try {
        $snippetFile = [System.IO.Path]::Combine($work, 'snippets.json')
        $output = [System.IO.Path]::Combine($work, 'results.json')
        $stream = [System.IO.MemoryStream]::new()
        $writer = [System.Text.Json.Utf8JsonWriter]::new($stream)
        $writer.WriteStartObject()
        $writer.WriteStartObject('Variables')
        foreach ($key in $Variables.Keys) { $writer.WriteString([string]$key, [string]$Variables[$key]) }
        $writer.WriteEndObject()
        $writer.WriteStartArray('Snippets')
        foreach ($s in $Snippet) {
            $writer.WriteStartObject()
            $writer.WriteString('Id', [string]$s.Id)
            $writer.WriteString('Code', [string]$s.Code)
            $writer.WriteEndObject()
        }
        $writer.WriteEndArray()
        $writer.WriteEndObject()
        $writer.Dispose()
        [System.IO.File]::WriteAllBytes($snippetFile, $stream.ToArray())

        $info = [System.Diagnostics.ProcessStartInfo]::new((Get-DocHostPath))
        $arguments = @('-NoProfile', '-NonInteractive', '-File', [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'pester', 'DocSnippetRunner.ps1'),
            '-SnippetFile', $snippetFile, '-ResultFile', $output, '-ModulePath', $ModulePath)
        if ($SharedSession) { $arguments += '-SharedSession' }
        if ($Location) { $arguments += @('-Location', $Location) }
        foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEnd()
        $process.WaitForExit()
        if (-not [System.IO.File]::Exists($output)) {
            throw "The snippet runner failed (exit code $($process.ExitCode)): $($stdout.Result)$stderr"
        }
        $results = @{}
        $document = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllText($output))
        try {
            foreach ($element in $document.RootElement.EnumerateArray()) {
                $results[$element.GetProperty('Id').GetString()] = [pscustomobject]@{
                    Passed  = $element.GetProperty('Passed').GetBoolean()
                    Message = $element.GetProperty('Message').GetString()
                    Output  = $element.GetProperty('Output').GetString()
                }
            }
        }
        finally { $document.Dispose() }
        $results
    }
    finally {
        try { [System.IO.Directory]::Delete($work, $true) } catch { }
    }
}
