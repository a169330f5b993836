<#
.SYNOPSIS
Runs documentation snippets (cmdlet page examples, guide blocks) against a module, in this process.

.DESCRIPTION
Started in a child PowerShell process by DocHelpers.ps1 (Invoke-DocSnippet), so that what the snippets do
(bearer schemes registered in the module's process-wide registry, variables, files) never reaches the test
run. Reads (Import-Clixml) an object with Variables (a hashtable of names and string values) and Snippets
(objects with Id and Code), and writes (Export-Clixml) the results: objects with Id, Passed, Message, Output.

Each snippet runs with $ErrorActionPreference = 'Stop' in a runspace that has imported the module, with
the variables set and the current location in -Location, or else a scratch folder (deleted afterwards).
By default every snippet gets a fresh runspace (examples must be self-contained); with -SharedSession all
snippets run in order in one runspace (a guide's blocks build on each other). A snippet fails when it
throws, writes an error, or runs longer than -TimeoutSeconds.
#>
param(
    [Parameter(Mandatory)] [string] $SnippetFile,
    [Parameter(Mandatory)] [string] $ResultFile,
    [Parameter(Mandatory)] [string] $ModulePath,
    [switch] $SharedSession,
    [string] $Location,
    [int] $TimeoutSeconds = 120
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$request = Import-Clixml -LiteralPath $SnippetFile
$variables = $request.Variables
$snippets = @($request.Snippets)

$scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-doc-' + [Guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $scratch

function New-SnippetRunspace {
    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
    $runspace.Open()
    $runspace.SessionStateProxy.Path.SetLocation($(if ($Location) { $Location } else { $scratch })) | Out-Null
    $runspace.SessionStateProxy.SetVariable('ErrorActionPreference', 'Stop')
    foreach ($name in $variables.Keys) { $runspace.SessionStateProxy.SetVariable($name, $variables[$name]) }
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddCommand('Import-Module').AddParameter('Name', $ModulePath).AddParameter('ErrorAction', 'Stop').Invoke()
    $ps.Dispose()
    $runspace
}

function New-Result([string] $Id, [bool] $Passed, [string] $Message, [string] $Output) {
    [pscustomobject]@{ Id = $Id; Passed = $Passed; Message = $Message; Output = $Output }
}

function Invoke-Snippet($Runspace, $Snippet) {
    $ps = [powershell]::Create()
    $ps.Runspace = $Runspace
    $null = $ps.AddScript($Snippet.Code)
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    try {
        $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
            $ps.Stop()
            return New-Result $Snippet.Id $false "Timed out after $TimeoutSeconds s." ''
        }
        $null = $ps.EndInvoke($async)
        $message = if ($ps.Streams.Error.Count) {
            $first = $ps.Streams.Error[0]
            "Wrote an error: $first $($first.InvocationInfo.PositionMessage)"
        }
        $text = (@($output | ForEach-Object { [string]$_ }) -join "`n")
        New-Result $Snippet.Id ($null -eq $message) ([string]$message) $text
    }
    catch {
        $inner = $_.Exception
        while ($inner -is [System.Management.Automation.MethodInvocationException] -and $inner.InnerException) { $inner = $inner.InnerException }
        $record = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord }
        $where = if ($record -and $record.InvocationInfo) { " $($record.InvocationInfo.PositionMessage)" } else { '' }
        New-Result $Snippet.Id $false "Threw: $($inner.Message)$where" ''
    }
    finally {
        $ps.Dispose()
    }
}

$results = [System.Collections.Generic.List[object]]::new()
try {
    $shared = $null
    foreach ($snippet in $snippets) {
        $runspace = if ($SharedSession) { if (-not $shared) { $shared = New-SnippetRunspace }; $shared } else { New-SnippetRunspace }
        try { $results.Add((Invoke-Snippet $runspace $snippet)) }
        finally { if (-not $SharedSession) { $runspace.Dispose() } }
    }
    if ($shared) { $shared.Dispose() }
}
finally {
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction Ignore
}
$results | Export-Clixml -LiteralPath $ResultFile
