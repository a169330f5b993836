# Tab completion, as PowerShell's own engine computes it (CommandCompletion.CompleteInput, what TabExpansion2
# and editors call): JWS algorithm names, JWE key management and content encryption names, claim names for
# -ClaimType and UserIdentityClaim members for -UserClaimType.

Describe 'Argument completion' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))

        # The completions PowerShell offers at the end of a command line.
        function Get-Completion([string] $Line) {
            [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches
        }

        function Get-CompletionText([string] $Line) {
            @(Get-Completion $Line | ForEach-Object CompletionText)
        }

        # Sorted, for parameters whose order PowerShell chooses (a ValidateSet's completions come sorted).
        function Get-SortedCompletionText([string] $Line) {
            $list = [System.Collections.Generic.List[string]]@(Get-CompletionText $Line)
            $list.Sort([System.StringComparer]::Ordinal)
            $list -join ','
        }

        function Get-SortedText([string[]] $Names) {
            $list = [System.Collections.Generic.List[string]]$Names
            $list.Sort([System.StringComparer]::Ordinal)
            $list -join ','
        }

        $script:Signing = 'Auto', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'
        $script:KeyManagement = 'dir', 'A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'RSA-OAEP', 'RSA-OAEP-256',
        'RSA-OAEP-384', 'RSA-OAEP-512', 'RSA1_5', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
        'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'
        $script:ContentEncryption = 'A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'
    }

    It 'completes every JWS algorithm for Protect-KrJWT -Algorithm' {
        Get-SortedCompletionText 'New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $k -Algorithm ' | Should -Be (Get-SortedText $script:Signing)
    }

    It 'completes JWS algorithms by prefix, case-insensitively: <Line>' -TestCases @(
        @{ Line = 'Protect-KrJWT -Algorithm e'; Expected = 'ES256,ES384,ES512,EdDSA' }
        @{ Line = 'Protect-KrJWT -Algorithm PS'; Expected = 'PS256,PS384,PS512' }
        @{ Line = 'Get-KrJWTValidationParameter -JwksJson $j -Algorithm rs'; Expected = 'RS256,RS384,RS512' }
    ) {
        Get-SortedCompletionText $Line | Should -Be (Get-SortedText $Expected.Split(','))
    }

    It 'completes every key management algorithm for <Line>' -TestCases @(
        @{ Line = 'Protect-KrJWTPayload -HexadecimalKey $k -KeyAlg ' }
        @{ Line = 'Protect-KrJWTPayload -Pem $p -KeyManagementAlgorithm ' }
        @{ Line = 'Get-KrJWTValidationParameter -JwksJson $j -DecryptionKeyAlg ' }
        @{ Line = 'Get-KrJWTInfo -Token $t -HexadecimalKey $k -KeyAlg ' }
    ) {
        $names = @(Get-Completion $Line | ForEach-Object ListItemText)
        $names -join ',' | Should -Be ($script:KeyManagement -join ',')
    }

    It 'completes every content encryption algorithm for <Line>' -TestCases @(
        @{ Line = 'Protect-KrJWTPayload -HexadecimalKey $k -EncAlg ' }
        @{ Line = 'Get-KrJWTValidationParameter -JwksJson $j -DecryptionEncAlg ' }
        @{ Line = 'Get-KrJWTInfo -Token $t -HexadecimalKey $k -EncAlg ' }
    ) {
        (Get-CompletionText $Line) -join ',' | Should -Be ($script:ContentEncryption -join ',')
    }

    It 'quotes names that PowerShell would split, so the completed command parses to the name' {
        $matches = @(Get-Completion 'Protect-KrJWTPayload -Pem $p -KeyAlg ECDH-ES+')
        @($matches | ForEach-Object ListItemText) -join ',' | Should -Be 'ECDH-ES+A128KW,ECDH-ES+A192KW,ECDH-ES+A256KW'
        foreach ($match in $matches) {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput("Protect-KrJWTPayload -KeyAlg $($match.CompletionText)", [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty
            $command = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)
            $command.CommandElements[2].SafeGetValue() | Should -BeExactly $match.ListItemText
        }
    }

    It 'a completed key management name is accepted by the cmdlet' {
        $key = New-TestHexKey 32
        $text = @(Get-CompletionText 'Protect-KrJWTPayload -HexadecimalKey $key -KeyAlg A256K')[0]
        $builder = & ([scriptblock]::Create("New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey '$(New-TestHexKey 32)' | Protect-KrJWTPayload -HexadecimalKey '$key' -KeyAlg $text"))
        ($builder | Build-KrJWT).OuterHeader['alg'] | Should -Be 'A256KW'
    }

    It 'completes common claim names for Add-KrJWTClaim -ClaimType, with what each holds' {
        $all = @(Get-Completion 'New-KrJWTBuilder | Add-KrJWTClaim -ClaimType ')
        $names = @($all | ForEach-Object CompletionText)
        foreach ($name in 'sub', 'unique_name', 'role', 'email', 'given_name', 'family_name', 'scope', 'nameid', 'upn', 'jti') {
            $names | Should -Contain $name
        }
        @($all | Where-Object { -not $_.ToolTip }) | Should -HaveCount 0
        (Get-CompletionText 'Add-KrJWTClaim -ClaimType given') -join ',' | Should -Be 'given_name'
        (Get-CompletionText 'Add-KrJWTClaim -ClaimType UNIQ') -join ',' | Should -Be 'unique_name'
    }

    It 'completes the UserIdentityClaim members for Add-KrJWTClaim -UserClaimType' {
        $members = [System.Enum]::GetNames([KrJwt.UserIdentityClaim])
        $all = @(Get-CompletionText 'Add-KrJWTClaim -UserClaimType ')
        $all.Count | Should -Be $members.Count
        foreach ($member in $members) { $all | Should -Contain $member }
        (Get-CompletionText 'Add-KrJWTClaim -UserClaimType Em') -join ',' | Should -Be 'Email,EmailAddress'
        (Get-CompletionText 'Add-KrJWTClaim -UserClaimType given') -join ',' | Should -Be 'GivenName'
    }
}
