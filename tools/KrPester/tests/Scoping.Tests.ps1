# Pester 5 scoping: what each setup block sets, and where it is visible.

BeforeAll {
    . $PSScriptRoot/fixtures/helper.ps1
    $fileLevel = 'file'
}

Describe 'Scoping' {
    $discoveryOnly = 'set while discovering'

    BeforeAll {
        $outer = 'outer'
        $log = [System.Collections.Generic.List[string]]::new()
    }
    BeforeEach {
        $perTest = 'fresh'
        $log.Add('outer before')
    }
    AfterEach {
        $log.Add('outer after')
    }

    It 'sets $PSScriptRoot to the test file folder' {
        [System.IO.File]::Exists("$PSScriptRoot/Scoping.Tests.ps1") | Should -BeTrue
    }

    It 'sees what a file-level BeforeAll dot-sourced' {
        Get-KrPesterHelperGreeting | Should -Be 'hello from helper'
        $helperVariable | Should -Be 'set by helper'
        $fileLevel | Should -Be 'file'
    }

    It 'sees BeforeAll and BeforeEach variables' {
        $outer | Should -Be 'outer'
        $perTest | Should -Be 'fresh'
        $perTest = 'changed'
        $leaked = 'from a test'
    }

    It 'does not see what another test set' {
        $perTest | Should -Be 'fresh'
        $leaked | Should -BeNullOrEmpty
    }

    It 'does not see variables set while discovering' {
        $discoveryOnly | Should -BeNullOrEmpty
    }

    Context 'Nested' {
        BeforeAll { $inner = 'inner' }
        BeforeEach { $log.Add('inner before') }
        AfterEach { $log.Add('inner after') }

        It 'sees the outer BeforeAll and its own' {
            "$outer/$inner" | Should -Be 'outer/inner'
        }

        It 'runs BeforeEach outer first and AfterEach inner first' {
            # The previous test's whole cycle, then this test's setup.
            $log[-6..-1] -join ', ' |
                Should -Be 'outer before, inner before, inner after, outer after, outer before, inner before'
        }
    }

    Context 'Sibling' {
        It 'does not see the variables of a sibling block' {
            $inner | Should -BeNullOrEmpty
        }
    }
}
