using TypedBuild.Provisioning;

namespace TypedBuild.Tests.Provisioning;

public sealed class HeadlessBrowserTests
{
    [Theory]
    [InlineData("google-chrome")]
    [InlineData("chromium")]
    [InlineData("chromium-headless-shell")]
    public void A_machine_with_any_of_the_browsers_meets_it(string browser)
        => Assert.Null(new HeadlessBrowser().UnmetOn(new DeclaredMachine("runner") { Executables = new HashSet<string> { browser } }));

    [Fact]
    public void A_machine_without_one_meets_it_only_when_the_build_may_install_Debian_packages_there()
    {
        Assert.Null(new HeadlessBrowser().UnmetOn(new DeclaredMachine("debian") { InstallsDebianPackages = true }));
        Assert.Equal(
            "'chromium-headless-shell' (Debian package chromium-headless-shell) is not on it",
            new HeadlessBrowser().UnmetOn(new DeclaredMachine("bare image")));
    }
}
