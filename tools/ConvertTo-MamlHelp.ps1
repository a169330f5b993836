#!/usr/bin/env pwsh
<#
.SYNOPSIS
Compiles platyPS-style cmdlet pages (docs/cmdlets/*.md) into a module's MAML help file.

.DESCRIPTION
The build compiles the help with this script rather than with platyPS, which would be one more module to
fetch: it reads the subset of Markdown that platyPS writes (schema 2.0.0) and writes MAML with System.Xml:

    ---                                  front matter: "key: value" lines ("online version" is used)
    # Verb-Noun                          the cmdlet name; must match the file name
    ## SYNOPSIS                          one paragraph
    ## SYNTAX                            ### <SetName> [(Default)] followed by a ``` block per parameter set
    ## DESCRIPTION                       paragraphs, lists, tables and code blocks
    ## EXAMPLES                          ### Example N: title, a ```powershell block (the code), then remarks;
                                         other fenced blocks (```output) are shown after the remarks
    ## PARAMETERS                        ### -Name, a description, one or more ```yaml blocks (Type, Parameter
                                         Sets, Aliases, Required, Position, Default value, Accept pipeline
                                         input, Accept wildcard characters); ### CommonParameters is implied
    ## INPUTS / ## OUTPUTS               ### TypeName followed by a description
    ## NOTES                             paragraphs
    ## RELATED LINKS                     [text](uri) links

The syntax blocks of the page are for readers: the MAML syntax is built from the PARAMETERS section
(each parameter goes into the sets its "Parameter Sets" line names, (All) meaning every set of the SYNTAX
section). A page that does not follow the format is an error naming the file and line.

.PARAMETER Path
Markdown files, or folders whose *.md files are all compiled.
.PARAMETER OutputPath
The MAML file to write, e.g. out/KrJwt/en-US/KrJwt.dll-Help.xml (its folder is created).
.PARAMETER AsObject
Output the parsed pages instead of writing MAML (the help tests use this to check pages against the
cmdlets and to run the examples).

.EXAMPLE
./tools/ConvertTo-MamlHelp.ps1 -Path docs/cmdlets -OutputPath out/KrJwt/en-US/KrJwt.dll-Help.xml
#>
[CmdletBinding(DefaultParameterSetName = 'Maml')]
param(
    [Parameter(Mandatory, Position = 0)] [string[]] $Path,
    [Parameter(Mandatory, ParameterSetName = 'Maml')] [string] $OutputPath,
    [Parameter(Mandatory, ParameterSetName = 'Object')] [switch] $AsObject
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Namespace = @{
    Msh     = 'http://msh'
    Maml    = 'http://schemas.microsoft.com/maml/2004/10'
    Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    Dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$Sections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$YamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters'
$CodeLanguages = 'powershell', 'pwsh', 'ps', 'ps1'

#region Reading Markdown

function Get-PageFile([string[]] $Path) {
    foreach ($item in $Path) {
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item)
        if ([System.IO.Directory]::Exists($full)) {
            $files = [System.IO.Directory]::GetFiles($full, '*.md')
            [array]::Sort($files, [System.StringComparer]::Ordinal)
            $files
        }
        elseif ([System.IO.File]::Exists($full)) { $full }
        else { throw "ConvertTo-MamlHelp: '$item' does not exist." }
    }
}

function New-ParseError([string] $File, [int] $Line, [string] $Message) {
    [System.FormatException]::new("${File}:${Line}: $Message")
}

# Splits Markdown into blocks: Heading (Level, Text), Fence (Info, Text), Paragraph, ListItem and Table
# (Text). Each block records its line number. Blank lines only separate blocks.
function Split-MarkdownBlock([string[]] $Lines, [string] $File, [int] $FirstLine) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        $number = $FirstLine + $i
        if ($line -match '^\s*(```+)\s*([\w+-]*)\s*$') {
            $fence = $Matches[1]
            $info = $Matches[2].ToLowerInvariant()
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch "^\s*$fence\s*$") { $body.Add($Lines[$i]); $i++ }
            if ($i -ge $Lines.Count) { throw (New-ParseError $File $number 'The code block is not closed with ```.') }
            $i++
            $blocks.Add([pscustomobject]@{ Kind = 'Fence'; Info = $info; Text = ($body -join "`n"); Line = $number })
            continue
        }
        if ($line -match '^(#{1,6})\s+(.+?)\s*#*\s*$') {
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Matches[1].Length; Text = $Matches[2]; Line = $number })
            $i++
            continue
        }
        if ($line.Trim().Length -eq 0) { $i++; continue }
        if ($line -match '^\s*\|') {
            $rows = [System.Collections.Generic.List[string]]::new()
            while ($i -lt $Lines.Count -and $Lines[$i] -match '^\s*\|') { $rows.Add($Lines[$i].Trim()); $i++ }
            $blocks.Add([pscustomobject]@{ Kind = 'Table'; Text = ($rows -join "`n"); Line = $number })
            continue
        }
        $isItem = $line -match '^\s*(?:[-*+]|\d+[.)])\s+'
        $text = [System.Collections.Generic.List[string]]::new()
        $text.Add($line.Trim())
        $i++
        # A paragraph (or list item) runs to a blank line or the start of another kind of block.
        while ($i -lt $Lines.Count) {
            $next = $Lines[$i]
            if ($next.Trim().Length -eq 0 -or $next -match '^\s*```' -or $next -match '^#{1,6}\s' -or $next -match '^\s*\|' -or
                $next -match '^\s*(?:[-*+]|\d+[.)])\s+') { break }
            $text.Add($next.Trim())
            $i++
        }
        $kind = if ($isItem) { 'ListItem' } else { 'Paragraph' }
        $blocks.Add([pscustomobject]@{ Kind = $kind; Text = ($text -join ' '); Line = $number })
    }
    $blocks
}

# Markdown inline syntax to help text: links become "text (uri)", emphasis markers go; `code` stays as
# it is (readers of Get-Help recognise it).
function ConvertTo-PlainText([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', {
            param($m)
            if ($m.Groups[1].Value -eq $m.Groups[2].Value) { $m.Groups[1].Value } else { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" }
        })
    $Text = [regex]::Replace($Text, '(\*\*|__)(.+?)\1', '$2')
    $Text -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1'
}

# The help text of a run of non-heading blocks: one string per paragraph.
function ConvertTo-HelpParagraph([object[]] $Blocks) {
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Paragraph' { ConvertTo-PlainText $block.Text }
            'ListItem' { ConvertTo-PlainText ($block.Text -replace '^(?:[*+]|-)\s+', '- ') }
            'Table' { $block.Text }
            'Fence' { $block.Text }
        }
    }
}

function Read-FrontMatter([string[]] $Lines, [string] $File) {
    $metadata = [ordered]@{}
    if ($Lines.Count -eq 0 -or $Lines[0].Trim() -ne '---') { return $metadata, 0 }
    for ($i = 1; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i].Trim() -eq '---') { return $metadata, ($i + 1) }
        if ($Lines[$i] -match '^([\w ]+):\s*(.*)$') { $metadata[$Matches[1].Trim()] = $Matches[2].Trim() }
    }
    throw (New-ParseError $File 1 'The front matter is not closed with ---.')
}

function Read-ParameterYaml([object] $Fence, [string] $File) {
    $values = [ordered]@{}
    foreach ($line in $Fence.Text -split "`n") {
        if ($line.Trim().Length -eq 0) { continue }
        if ($line -notmatch '^([A-Za-z ]+):\s*(.*)$') { throw (New-ParseError $File $Fence.Line "Cannot read the yaml line '$line'.") }
        $key = $Matches[1].Trim()
        if ($key -notin $YamlKeys) { throw (New-ParseError $File $Fence.Line "Unknown yaml key '$key' (expected: $($YamlKeys -join ', ')).") }
        $values[$key] = $Matches[2].Trim()
    }
    foreach ($key in $YamlKeys) {
        if (-not $values.Contains($key)) { throw (New-ParseError $File $Fence.Line "The yaml block has no '$key' line.") }
    }
    $position = $values['Position']
    if ($position -notmatch '^(Named|\d+)$') { throw (New-ParseError $File $Fence.Line "Position must be Named or a number, not '$position'.") }
    foreach ($key in 'Required', 'Accept wildcard characters') {
        if ($values[$key] -notin 'True', 'False') { throw (New-ParseError $File $Fence.Line "'$key' must be True or False.") }
    }
    [pscustomobject]@{
        Type          = $values['Type']
        ParameterSets = @($values['Parameter Sets'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
        Aliases       = @($values['Aliases'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
        Required      = $values['Required'] -eq 'True'
        Position      = $position
        DefaultValue  = $values['Default value']
        PipelineInput = $values['Accept pipeline input']
        Globbing      = $values['Accept wildcard characters'] -eq 'True'
        Line          = $Fence.Line
    }
}

# One page: the model the MAML writer and the tests use.
function Read-HelpPage([string] $File) {
    $lines = [System.IO.File]::ReadAllLines($File)
    $metadata, $start = Read-FrontMatter $lines $File
    $body = if ($start -lt $lines.Count) { $lines[$start..($lines.Count - 1)] } else { @() }
    $blocks = @(Split-MarkdownBlock -Lines $body -File $File -FirstLine ($start + 1))

    $page = [pscustomobject]@{
        File          = $File
        Name          = $null
        Metadata      = $metadata
        Synopsis      = ''
        Description   = [System.Collections.Generic.List[string]]::new()
        Syntax        = [System.Collections.Generic.List[object]]::new()
        Examples      = [System.Collections.Generic.List[object]]::new()
        Parameters    = [System.Collections.Generic.List[object]]::new()
        Inputs        = [System.Collections.Generic.List[object]]::new()
        Outputs       = [System.Collections.Generic.List[object]]::new()
        Notes         = [System.Collections.Generic.List[string]]::new()
        RelatedLinks  = [System.Collections.Generic.List[object]]::new()
        SectionsFound = [System.Collections.Generic.List[string]]::new()
    }

    # Group the blocks: H2 sections, and inside them H3 items with their content blocks.
    $section = $null
    $item = $null
    $sectionBlocks = [ordered]@{}
    foreach ($block in $blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 1) {
            if ($page.Name) { throw (New-ParseError $File $block.Line 'A page has one # heading, the cmdlet name.') }
            $page.Name = $block.Text.Trim()
            continue
        }
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 2) {
            $section = $block.Text.Trim().ToUpperInvariant()
            if ($section -notin $Sections) { throw (New-ParseError $File $block.Line "Unknown section '## $($block.Text)' (expected: $($Sections -join ', ')).") }
            if ($page.SectionsFound.Contains($section)) { throw (New-ParseError $File $block.Line "The section '## $section' appears twice.") }
            $page.SectionsFound.Add($section)
            $sectionBlocks[$section] = [pscustomobject]@{ Intro = [System.Collections.Generic.List[object]]::new(); Items = [System.Collections.Generic.List[object]]::new() }
            $item = $null
            continue
        }
        if ($null -eq $section) { throw (New-ParseError $File $block.Line 'Content before the first ## section.') }
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
            $item = [pscustomobject]@{ Title = $block.Text.Trim(); Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            $sectionBlocks[$section].Items.Add($item)
            continue
        }
        if ($block.Kind -eq 'Heading') { throw (New-ParseError $File $block.Line 'Only #, ## and ### headings are used in cmdlet pages.') }
        if ($item) { $item.Blocks.Add($block) } else { $sectionBlocks[$section].Intro.Add($block) }
    }
    if (-not $page.Name) { throw (New-ParseError $File 1 'The page has no # heading with the cmdlet name.') }
    $expected = [System.IO.Path]::GetFileNameWithoutExtension($File)
    if ($page.Name -cne $expected) { throw (New-ParseError $File 1 "The page is for '$($page.Name)' but the file is named '$expected.md'.") }

    foreach ($name in $sectionBlocks.Keys) {
        $content = $sectionBlocks[$name]
        switch ($name) {
            'SYNOPSIS' { $page.Synopsis = (@(ConvertTo-HelpParagraph $content.Intro) -join ' ').Trim() }
            'DESCRIPTION' { foreach ($p in ConvertTo-HelpParagraph $content.Intro) { $page.Description.Add($p) } }
            'NOTES' { foreach ($p in ConvertTo-HelpParagraph $content.Intro) { $page.Notes.Add($p) } }
            'SYNTAX' {
                foreach ($set in $content.Items) {
                    $fence = @($set.Blocks | Where-Object Kind -EQ 'Fence')
                    if ($fence.Count -ne 1) { throw (New-ParseError $File $set.Line "The syntax of '$($set.Title)' needs exactly one ``` block.") }
                    $isDefault = $set.Title -match '\(Default\)\s*$'
                    $page.Syntax.Add([pscustomobject]@{
                            SetName   = ($set.Title -replace '\s*\(Default\)\s*$', '').Trim()
                            IsDefault = $isDefault
                            Text      = $fence[0].Text
                            Line      = $set.Line
                        })
                }
            }
            'EXAMPLES' {
                foreach ($example in $content.Items) {
                    $code = @($example.Blocks | Where-Object { $_.Kind -eq 'Fence' -and $_.Info -in $CodeLanguages })
                    if ($code.Count -eq 0) { throw (New-ParseError $File $example.Line "The example '$($example.Title)' has no ``````powershell code block.") }
                    $others = @($example.Blocks | Where-Object { -not ($_.Kind -eq 'Fence' -and $_.Info -in $CodeLanguages) })
                    $page.Examples.Add([pscustomobject]@{
                            Title   = $example.Title
                            Code    = (@($code | ForEach-Object Text) -join "`n`n")
                            Remarks = @(ConvertTo-HelpParagraph ($others | Where-Object Kind -NE 'Fence')) +
                            @($others | Where-Object Kind -EQ 'Fence' | ForEach-Object Text)
                            Line    = $example.Line
                        })
                }
            }
            'PARAMETERS' {
                foreach ($parameter in $content.Items) {
                    if ($parameter.Title -eq 'CommonParameters') { continue }
                    if ($parameter.Title -notmatch '^-(\w+)$') { throw (New-ParseError $File $parameter.Line "A parameter heading is '### -Name', not '### $($parameter.Title)'.") }
                    $yaml = @($parameter.Blocks | Where-Object { $_.Kind -eq 'Fence' -and $_.Info -eq 'yaml' })
                    if ($yaml.Count -eq 0) { throw (New-ParseError $File $parameter.Line "The parameter -$($Matches[1]) has no ``````yaml block.") }
                    $page.Parameters.Add([pscustomobject]@{
                            Name        = $Matches[1]
                            Description = @(ConvertTo-HelpParagraph ($parameter.Blocks | Where-Object { -not ($_.Kind -eq 'Fence' -and $_.Info -eq 'yaml') }))
                            Metadata    = @($yaml | ForEach-Object { Read-ParameterYaml $_ $File })
                            Line        = $parameter.Line
                        })
                }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                # (Assigned directly: an if expression would unroll an empty list to $null.)
                $list = $page.Inputs
                if ($name -eq 'OUTPUTS') { $list = $page.Outputs }
                foreach ($type in $content.Items) {
                    $list.Add([pscustomobject]@{ Type = $type.Title; Description = @(ConvertTo-HelpParagraph $type.Blocks); Line = $type.Line })
                }
            }
            'RELATED LINKS' {
                foreach ($block in @($content.Intro) + @($content.Items | ForEach-Object Blocks)) {
                    foreach ($m in [regex]::Matches([string]$block.Text, '\[([^\]]+)\]\(([^)\s]*)\)')) {
                        $page.RelatedLinks.Add([pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value })
                    }
                }
            }
        }
    }
    $page
}

#endregion

#region Writing MAML

function Write-Para([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $Namespace.Maml)
    foreach ($text in @($Paragraphs | Where-Object { $_ })) { $Writer.WriteElementString('maml', 'para', $Namespace.Maml, $text) }
    $Writer.WriteEndElement()
}

function Write-ParameterElement([System.Xml.XmlWriter] $Writer, $Parameter, $Metadata, [bool] $InSyntax) {
    $Writer.WriteStartElement('command', 'parameter', $Namespace.Command)
    $Writer.WriteAttributeString('required', $Metadata.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ($Metadata.Type -like '*`[`]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Metadata.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Metadata.PipelineInput)
    $Writer.WriteAttributeString('position', $(if ($Metadata.Position -eq 'Named') { 'named' } else { $Metadata.Position }))
    $Writer.WriteAttributeString('aliases', $(if ($Metadata.Aliases.Count) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $Namespace.Maml, $Parameter.Name)
    # Get-Help prints a syntax entry as its name and value type: the description, type and default live
    # once, in the parameter's own entry, not again in every parameter set that lists it.
    if (-not $InSyntax) { Write-Para $Writer $Parameter.Description }
    # A switch shows as [-Name] in the syntax: no value there.
    if (-not ($InSyntax -and $Metadata.Type -eq 'SwitchParameter')) {
        $Writer.WriteStartElement('command', 'parameterValue', $Namespace.Command)
        $Writer.WriteAttributeString('required', ($Metadata.Type -ne 'SwitchParameter').ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Metadata.Type)
        $Writer.WriteEndElement()
    }
    if (-not $InSyntax) {
        Write-TypeElement $Writer $Metadata.Type
        $Writer.WriteElementString('dev', 'defaultValue', $Namespace.Dev, $Metadata.DefaultValue)
    }
    $Writer.WriteEndElement()
}

function Write-TypeElement([System.Xml.XmlWriter] $Writer, [string] $Type) {
    $Writer.WriteStartElement('dev', 'type', $Namespace.Dev)
    $Writer.WriteElementString('maml', 'name', $Namespace.Maml, $Type)
    $Writer.WriteElementString('maml', 'uri', $Namespace.Maml, '')
    $Writer.WriteEndElement()
}

# The yaml block of a parameter that applies to a set, or $null when the parameter is not in it.
function Get-SetMetadata($Parameter, [string] $SetName) {
    foreach ($metadata in $Parameter.Metadata) {
        if ($metadata.ParameterSets -contains '(All)' -or $metadata.ParameterSets -contains $SetName) { return $metadata }
    }
    $null
}

function Write-SyntaxItem([System.Xml.XmlWriter] $Writer, $Page, [string] $SetName) {
    $entries = foreach ($parameter in $Page.Parameters) {
        $metadata = Get-SetMetadata $parameter $SetName
        if ($metadata) { [pscustomobject]@{ Parameter = $parameter; Metadata = $metadata } }
    }
    # As PowerShell prints syntax: positional parameters by position, then mandatory, then optional ones,
    # switches last; otherwise in page order.
    $index = 0
    $ordered = @($entries | ForEach-Object {
            $position = if ($_.Metadata.Position -eq 'Named') { [int]::MaxValue } else { [int]$_.Metadata.Position }
            $group = if ($position -ne [int]::MaxValue) { 0 } elseif ($_.Metadata.Required) { 1 } elseif ($_.Metadata.Type -ne 'SwitchParameter') { 2 } else { 3 }
            [pscustomobject]@{ Entry = $_; Key = '{0}{1:D10}{2:D4}' -f $group, $(if ($group -eq 0) { $position } else { 0 }), ($index++) }
        } | Sort-Object Key)
    $Writer.WriteStartElement('command', 'syntaxItem', $Namespace.Command)
    $Writer.WriteElementString('maml', 'name', $Namespace.Maml, $Page.Name)
    foreach ($item in $ordered) { Write-ParameterElement $Writer $item.Entry.Parameter $item.Entry.Metadata $true }
    $Writer.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Page) {
    $Writer.WriteStartElement('command', 'command', $Namespace.Command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $Namespace.Maml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $Namespace.Command)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $Namespace.Dev)
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, $Namespace.MSHelp)

    $verb, $noun = $Page.Name -split '-', 2
    $Writer.WriteStartElement('command', 'details', $Namespace.Command)
    $Writer.WriteElementString('command', 'name', $Namespace.Command, $Page.Name)
    $Writer.WriteElementString('command', 'verb', $Namespace.Command, $verb)
    $Writer.WriteElementString('command', 'noun', $Namespace.Command, $noun)
    Write-Para $Writer @($Page.Synopsis)
    $Writer.WriteEndElement()

    Write-Para $Writer $Page.Description

    $Writer.WriteStartElement('command', 'syntax', $Namespace.Command)
    foreach ($set in $Page.Syntax) { Write-SyntaxItem $Writer $Page $set.SetName }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $Namespace.Command)
    foreach ($parameter in $Page.Parameters) { Write-ParameterElement $Writer $parameter $parameter.Metadata[0] $false }
    $Writer.WriteEndElement()

    foreach ($kind in @(
            @{ List = $Page.Inputs; Outer = 'inputTypes'; Inner = 'inputType' },
            @{ List = $Page.Outputs; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $Writer.WriteStartElement('command', $kind.Outer, $Namespace.Command)
        foreach ($type in $kind.List) {
            $Writer.WriteStartElement('command', $kind.Inner, $Namespace.Command)
            Write-TypeElement $Writer $type.Type
            Write-Para $Writer $type.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $Namespace.Maml)
    $Writer.WriteStartElement('maml', 'alert', $Namespace.Maml)
    foreach ($text in $Page.Notes) { $Writer.WriteElementString('maml', 'para', $Namespace.Maml, $text) }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $Namespace.Command)
    foreach ($example in $Page.Examples) {
        $Writer.WriteStartElement('command', 'example', $Namespace.Command)
        $Writer.WriteElementString('maml', 'title', $Namespace.Maml, "---------- $($example.Title) ----------")
        $Writer.WriteElementString('dev', 'code', $Namespace.Dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $Namespace.Dev)
        foreach ($text in $example.Remarks) { $Writer.WriteElementString('maml', 'para', $Namespace.Maml, $text) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $Namespace.Command)
    # Get-Help -Online opens the first link with a URI: the page's online version, as platyPS does.
    $links = @()
    if ($Page.Metadata.Contains('online version') -and $Page.Metadata['online version']) {
        $links += [pscustomobject]@{ Text = 'Online Version:'; Uri = $Page.Metadata['online version'] }
    }
    foreach ($link in $links + @($Page.RelatedLinks)) {
        $Writer.WriteStartElement('maml', 'navigationLink', $Namespace.Maml)
        $Writer.WriteElementString('maml', 'linkText', $Namespace.Maml, $link.Text)
        # Links to sibling pages (Get-KrJWTInfo.md) are for Markdown readers; Get-Help shows the name.
        $uri = if ($link.Uri -match '^[a-z]+://') { $link.Uri } else { '' }
        $Writer.WriteElementString('maml', 'uri', $Namespace.Maml, $uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Write-Maml([object[]] $Pages, [string] $OutputPath) {
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($full))
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($full, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $Namespace.Msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($page in $Pages) { Write-Command $writer $page }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
    $full
}

#endregion

$pages = @(foreach ($file in Get-PageFile $Path) { Read-HelpPage $file })
if ($AsObject) { return $pages }
$null = Write-Maml -Pages $pages -OutputPath $OutputPath
