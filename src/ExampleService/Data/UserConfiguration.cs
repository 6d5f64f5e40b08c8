using ExampleService.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExampleService.Data;

/// <summary>Table <c>users</c>, with snake_case columns and case-insensitive uniqueness through normalized columns.</summary>
internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public const string UsernameIndex = "ux_users_username_normalized";
    public const string EmailIndex = "ux_users_email_normalized";

    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasKey(u => u.Id).HasName("pk_users");
        user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        user.Property(u => u.Username).HasColumnName("username").HasMaxLength(UserValidation.UsernameMaxLength).IsRequired();
        user.Property(u => u.UsernameNormalized).HasColumnName("username_normalized").HasMaxLength(UserValidation.UsernameMaxLength).IsRequired();
        user.Property(u => u.Email).HasColumnName("email").HasMaxLength(UserValidation.EmailMaxLength).IsRequired();
        user.Property(u => u.EmailNormalized).HasColumnName("email_normalized").HasMaxLength(UserValidation.EmailMaxLength).IsRequired();
        user.Property(u => u.DisplayName).HasColumnName("display_name").HasMaxLength(UserValidation.DisplayNameMaxLength).IsRequired();
        user.Property(u => u.GivenName).HasColumnName("given_name").HasMaxLength(UserValidation.NameMaxLength);
        user.Property(u => u.FamilyName).HasColumnName("family_name").HasMaxLength(UserValidation.NameMaxLength);
        user.Property(u => u.Department).HasColumnName("department").HasMaxLength(UserValidation.NameMaxLength);
        user.Property(u => u.Title).HasColumnName("title").HasMaxLength(UserValidation.NameMaxLength);
        user.Property(u => u.Phone).HasColumnName("phone").HasMaxLength(UserValidation.PhoneMaxLength);
        user.Property(u => u.Active).HasColumnName("active");
        // A plain column the application replaces on each write works the same on SQLite and PostgreSQL
        // (no xmin system column to map, see npgsql/efcore.pg#3854).
        user.Property(u => u.Version).HasColumnName("version").IsConcurrencyToken();
        // SQLite hands DateTime back unspecified; every stored time is UTC.
        user.Property(u => u.CreatedAt).HasColumnName("created_at")
            .HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        user.Property(u => u.UpdatedAt).HasColumnName("updated_at")
            .HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

        user.HasIndex(u => u.UsernameNormalized).IsUnique().HasDatabaseName(UsernameIndex);
        user.HasIndex(u => u.EmailNormalized).IsUnique().HasDatabaseName(EmailIndex);
        user.HasIndex(u => u.Department).HasDatabaseName("ix_users_department");
        user.HasIndex(u => u.CreatedAt).HasDatabaseName("ix_users_created_at");
    }
}
