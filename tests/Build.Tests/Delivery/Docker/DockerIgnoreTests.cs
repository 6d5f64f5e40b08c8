using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("bin", "bin", true)]
    [InlineData("bin", "bin/Debug/app.dll", true)]
    [InlineData("bin", "src/bin/app.dll", false)]
    [InlineData("/bin", "bin/app.dll", true)]
    [InlineData("bin/", "bin/app.dll", true)]
    [InlineData("./bin", "bin/app.dll", true)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "temp.txt", false)]
    [InlineData("*/*/temp*", "somedir/subdir/temporary.txt", true)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "temp/x", false)]
    [InlineData("temp?", "tempab", false)]
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "a/b/c/main.go", true)]
    [InlineData("**/obj", "src/app/obj/x.json", true)]
    [InlineData("src/**/*.cs", "src/a.cs", true)]
    [InlineData("src/**/*.cs", "src/a/b/c.cs", true)]
    [InlineData("src/**/*.cs", "tests/a.cs", false)]
    [InlineData("src/**", "src/a/b", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("[ab].txt", "a.txt", true)]
    [InlineData("[ab].txt", "c.txt", false)]
    [InlineData("[^ab].txt", "c.txt", true)]
    [InlineData("[^ab].txt", "a.txt", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("foo/../bar", "bar/x", true)]
    public void Single_pattern_matches_like_the_docker_cli(string pattern, string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse(pattern);

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Fact]
    public void Comments_and_blank_lines_are_ignored_and_lines_are_trimmed()
    {
        var ignore = DockerIgnore.Parse("# comment\n\n   \n  secrets.txt  \r\n#bin\n");

        Assert.True(ignore.IsExcluded("secrets.txt"));
        Assert.False(ignore.IsExcluded("bin/app.dll"));
        Assert.False(ignore.IsExcluded("# comment"));
    }

    [Fact]
    public void Last_matching_line_decides()
    {
        var readmesIncluded = DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md");
        var secretExcluded = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md");

        Assert.False(readmesIncluded.IsExcluded("README-secret.md"));
        Assert.True(secretExcluded.IsExcluded("README-secret.md"));
        Assert.False(secretExcluded.IsExcluded("README.md"));
        Assert.True(secretExcluded.IsExcluded("CHANGES.md"));
    }

    [Fact]
    public void An_allow_list_excludes_everything_but_its_exceptions()
    {
        var ignore = DockerIgnore.Parse("**\n!artifacts/image/\n!src/ExampleService/Dockerfile");

        Assert.True(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("artifacts/image.json"));
        Assert.True(ignore.IsExcluded(".git/config"));
        Assert.False(ignore.IsExcluded("artifacts/image"));
        Assert.False(ignore.IsExcluded("artifacts/image/app/ExampleService.dll"));
        Assert.False(ignore.IsExcluded("src/ExampleService/Dockerfile"));
        Assert.True(ignore.IsExcluded("src/ExampleService/Program.cs"));
    }

    [Fact]
    public void Walk_skips_excluded_directories_no_exception_can_reach()
    {
        var ignore = DockerIgnore.Parse("**\n!artifacts/image/\n!**/*.keep");

        Assert.True(ignore.HasExceptions);
        Assert.True(ignore.MayReincludeBelow("artifacts"));
        Assert.True(ignore.MayReincludeBelow("artifacts/image"));
        Assert.True(ignore.MayReincludeBelow(".git"));

        var strict = DockerIgnore.Parse("**\n!artifacts/image/");
        Assert.False(strict.MayReincludeBelow(".git"));
        Assert.False(strict.MayReincludeBelow("src"));
        Assert.False(DockerIgnore.Parse("bin").MayReincludeBelow("bin"));
    }

    [Theory]
    [InlineData("!", "'!' must be followed")]
    [InlineData("[abc", "without its closing ']'")]
    public void Invalid_lines_fail_with_file_and_line(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DockerIgnore.Parse("# first\n" + line, "/repo/.dockerignore"));

        Assert.Contains("/repo/.dockerignore:2", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_excludes_nothing()
    {
        Assert.False(DockerIgnore.Parse(string.Empty).IsExcluded("anything"));
        Assert.False(DockerIgnore.Empty.HasExceptions);
    }
}
