using System.Text;
using TypedBuild.Logging;
using TypedBuild.Processes;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Secrets;

/// <summary>
/// Masking is a property of every stream, not of lines: random secrets (line breaks, leading dashes, regex
/// metacharacters, non-ASCII) written in random pieces never come out, whole or line by line.
/// </summary>
public sealed class StreamMaskingTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.^$|?+()[]{}\\/=:;, éüß漢字✓😀";

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_line_of_a_secret_survives_any_chunking_of_the_output(int seed)
    {
        var random = new Random(seed);
        var secrets = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomSecret(random)).ToList();
        var masker = new SecretMasker();
        secrets.ForEach(masker.Register);
        var text = RandomOutput(random, secrets);

        var written = new StringWriter();
        using (var stream = new MaskingTextWriter(written, masker))
        {
            foreach (var chunk in RandomChunks(random, text))
            {
                WriteSomehow(random, stream, chunk);
            }
        }

        AssertNoSecretSurvives(secrets, written.ToString(), seed);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_line_of_a_secret_survives_line_by_line_masking(int seed)
    {
        var random = new Random(seed);
        var secrets = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomSecret(random)).ToList();
        var masker = new SecretMasker();
        secrets.ForEach(masker.Register);
        var text = RandomOutput(random, secrets);

        // What a child process's output and the log go through: one line at a time.
        var masked = string.Join('\n', text.Split('\n').Select(masker.Mask));

        AssertNoSecretSurvives(secrets, masked, seed);
    }

    [Fact]
    public void Text_without_secrets_passes_through_unchanged_and_without_waiting_for_the_end_of_the_line()
    {
        var masker = new SecretMasker();
        masker.Register("tok-123456");
        var written = new StringWriter();
        var stream = new MaskingTextWriter(written, masker);

        stream.Write("progress 10%... ");
        var beforeEnd = written.ToString();
        stream.Write("to");
        var held = written.ToString();
        stream.Write("k-123456 done\n");
        stream.Complete();

        Assert.Equal("progress 10%... ", beforeEnd);
        Assert.Equal("progress 10%... ", held);
        Assert.Equal("progress 10%... *** done\n", written.ToString());
    }

    [Fact]
    public async Task A_multi_line_secret_printed_by_a_child_process_is_masked_on_every_line()
    {
        const string key = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA7x\n-----END KEY-----";
        var masker = new SecretMasker();
        masker.Register(key);
        var log = new StringWriter();
        var buildLog = new BuildLog(BuildLog.CreateConsole(log, new Dictionary<string, string?>(), isTerminal: false), masker, new RecordingHost(), Verbosity.Normal, timestamps: false);

        var result = await new ProcessRunner(buildLog, masker).RunAsync("sh", ["-c", "printf '%s\\n' \"$0\"; printf '%s\\n' \"$0\" >&2", key]);

        Assert.DoesNotContain("MIIEpAIBAAKCAQEA7x", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN KEY", log.ToString(), StringComparison.Ordinal);
        Assert.All(result.Output, line => Assert.DoesNotContain("MIIEpAIBAAKCAQEA7x", line.Text, StringComparison.Ordinal));
        Assert.Contains("***", log.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNoSecretSurvives(List<string> secrets, string output, int seed)
    {
        foreach (var secret in secrets)
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"seed {seed}: the whole secret survived in: {output}");
            foreach (var line in secret.Split(['\r', '\n'], StringSplitOptions.TrimEntries).Where(l => l.Length >= SecretMasker.MinimumLength))
            {
                Assert.False(output.Contains(line, StringComparison.Ordinal), $"seed {seed}: secret line '{line}' survived in: {output}");
            }
        }
    }

    private static string RandomSecret(Random random)
    {
        var secret = new StringBuilder(random.Next(2) == 0 ? "-" : "");
        var lines = random.Next(1, 4);
        for (var line = 0; line < lines; line++)
        {
            if (line > 0)
            {
                secret.Append(random.Next(2) == 0 ? "\n" : "\r\n");
            }

            var text = new StringBuilder();
            for (var i = random.Next(SecretMasker.MinimumLength, 16); i > 0 || text.ToString().Trim().Length < SecretMasker.MinimumLength; i--)
            {
                AppendRandomCharacter(random, text);
            }

            secret.Append(text);
        }

        return secret.ToString().Trim();
    }

    private static string RandomOutput(Random random, List<string> secrets)
    {
        var output = new StringBuilder();
        for (var part = random.Next(1, 8); part > 0; part--)
        {
            for (var i = random.Next(0, 12); i > 0; i--)
            {
                AppendRandomCharacter(random, output);
            }

            output.Append(random.Next(4) == 0 ? "\n" : "");
            var secret = secrets[random.Next(secrets.Count)];
            output.Append(random.Next(3) == 0 ? secret.Split('\n')[^1] : secret);
        }

        return output.ToString();
    }

    private static void AppendRandomCharacter(Random random, StringBuilder text)
    {
        // Surrogate pairs (the emoji) are kept whole; a writer may still be handed half of one.
        var index = random.Next(Alphabet.Length);
        text.Append(char.IsSurrogate(Alphabet[index]) ? "😀" : Alphabet[index].ToString());
    }

    private static IEnumerable<string> RandomChunks(Random random, string text)
    {
        for (var position = 0; position < text.Length;)
        {
            var length = Math.Min(text.Length - position, random.Next(1, 9));
            yield return text.Substring(position, length);
            position += length;
        }
    }

    private static void WriteSomehow(Random random, TextWriter writer, string chunk)
    {
        switch (random.Next(4))
        {
            case 0:
                foreach (var c in chunk)
                {
                    writer.Write(c);
                }

                break;
            case 1:
                writer.Write(chunk.ToCharArray(), 0, chunk.Length);
                break;
            case 2:
                writer.Write(chunk);
                writer.Flush();
                break;
            default:
                writer.Write(chunk);
                break;
        }
    }
}
