"""RDS for PostgreSQL and MySQL instances and ElastiCache for Valkey replication groups, in the private subnets.

As templates/terraform/modules/rds and templates/terraform/modules/elasticache: storage and snapshots encrypted with
the Region's key, TLS required, IAM authentication (a master password RDS generates and keeps in Secrets Manager,
encrypted with the same key; no shared cache AUTH token), logs in KMS-encrypted log groups. Each store's security
group admits its engine port from the VPC's CIDR only and allows no egress (Terraform's security groups have no
egress rule either).

DR, as the Terraform recovery root: under pilot light and warm standby the recovery Region's database is a
cross-Region read replica of the primary instance (encrypted with that Region's key, promoted on failover), created
once the recovery stack's ``<Primary>Arn`` parameter holds the primary stack's output of that name; the recovery
cache is an independent, empty cache. Under backup and restore the restore stack creates the instance from the AWS
Backup recovery point copied into its Region (its ``<Copy>SnapshotArn`` parameter).
"""

from __future__ import annotations

import hashlib
from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import (
    fn_if,
    fn_sub,
    get_att,
    logical_id,
    policy_document,
    policy_statement,
    ref,
)
from archgen.render.cloudformation.network import private_subnet_ids, vpc_cidr, vpc_id
from archgen.render.cloudformation.stack import Stack
from archgen.render.terraform import Root

ENVIRONMENT_MAX = 16  # the Environment parameter's longest value (its AllowedPattern)
BACKUP_WINDOW = "02:00-03:00"
MAINTENANCE_WINDOW = "sun:04:00-sun:05:00"
# The CDK's "no outbound traffic" rule: a security group always has an egress rule, so this one matches nothing.
NO_EGRESS = {
    "IpProtocol": "icmp",
    "FromPort": 252,
    "ToPort": 86,
    "CidrIp": "255.255.255.255/32",
    "Description": "No egress: the data store only answers connections.",
}


def bounded_name(stack: Stack, stem: str, limit: int) -> Any:
    """``<service>-<Environment>-<stem>`` as Terraform names it, when it fits ``limit`` for every Environment.

    CloudFormation has no hashing or substring, so a name that could be too long with the longest Environment is
    shortened at render time instead: its design-and-stem part cut and suffixed with 8 hex digits of its SHA-1, then
    the Environment (Terraform hashes the whole name, Environment included, only when it is too long).
    """
    service = stack.design.name
    if len(service) + len(stem) + ENVIRONMENT_MAX + 2 <= limit:
        return fn_sub(f"{stack.prefix}-{stem}")
    static = f"{service}-{stem}"
    digest = hashlib.sha1(static.encode(), usedforsecurity=False).hexdigest()[:8]
    room = limit - ENVIRONMENT_MAX - 1 - 9
    return fn_sub(f"{static[:room].rstrip('-')}-{digest}-${{Environment}}")


def _backup_tagged(root: Root) -> bool:
    return any(b.kind == "backup-vault" and "schedule" in b.properties for b in root.components)


def _security_group(stack: Stack, name: str, group_name: Any, what: str, port: int) -> None:
    stack.add(
        name,
        "AWS::EC2::SecurityGroup",
        {
            "GroupName": group_name,
            "GroupDescription": f"{what}: port {port} from inside the VPC only",
            "VpcId": vpc_id(),
            "SecurityGroupIngress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "CidrIp": vpc_cidr(),
                    "Description": f"{what}: connections from inside the VPC",
                }
            ],
            "SecurityGroupEgress": [NO_EGRESS],
            "Tags": stack.tags({"Name": group_name}),
        },
    )


# -- RDS ------------------------------------------------------------------------------------------------------------


def _engine(c: Component) -> tuple[str, int, str, list[str]]:
    """(engine, port, parameter group family, exported log types) as the rds module derives them."""
    version = str(c.properties["engine_version"]).split(".")
    if c.kind == "rds-postgresql":
        return "postgres", 5432, f"postgres{version[0]}", ["postgresql", "upgrade"]
    return "mysql", 3306, f"mysql{'.'.join(version[:2])}", ["error", "slowquery"]


def _parameters(engine: str) -> dict[str, str]:
    """TLS only plus the logging the exported logs need (the rds module's parameter groups; all dynamic)."""
    if engine == "postgres":
        return {
            "rds.force_ssl": "1",
            "log_statement": "ddl",
            "log_min_duration_statement": "1000",
            "log_connections": "1",
            "log_disconnections": "1",
        }
    return {"require_secure_transport": "1", "slow_query_log": "1", "long_query_time": "1", "log_output": "FILE"}


def db_arn(instance: str) -> Any:
    """The ARN of a DB instance of this stack, from its identifier (what GetAtt DBInstanceArn returns)."""
    return fn_sub(f"arn:${{AWS::Partition}}:rds:${{AWS::Region}}:${{AWS::AccountId}}:db:${{{instance}}}")


def _dr_parameters(stack: Stack, root: Root, c: Component) -> tuple[str | None, str | None]:
    """The recovery copy's source parameter and condition, or the restore stack's snapshot parameter.

    Returns (condition the instance is created under, snapshot parameter name).
    """
    origin = root.origin_of(c)
    if origin is None:
        return None, None
    if root.is_restore:
        snapshot = f"{logical_id(c.id)}SnapshotArn"
        stack.parameter(snapshot, {
            "Type": "String",
            "AllowedPattern": rf"^arn:aws[a-z-]*:rds:{root.region}:[0-9]{{12}}:snapshot:[A-Za-z][A-Za-z0-9:-]*$",
            "ConstraintDescription": f"the ARN of an RDS snapshot in {root.region}",
            "Description": f"ARN of the recovery point to restore {c.id} from: the copy of {origin.id}'s backup in "
            "this Region's backup vault (aws backup list-recovery-points-by-backup-vault), an RDS snapshot ARN such "
            f"as arn:aws:rds:{root.region}:<account>:snapshot:awsbackup:job-<id>.",
        })  # fmt: skip
        return None, snapshot
    source = f"{logical_id(origin.id)}Arn"
    stack.parameter(source, {
        "Type": "String",
        "Default": "",
        "AllowedPattern": rf"^(arn:aws[a-z-]*:rds:{origin.region}:[0-9]{{12}}:db:[a-z][a-z0-9-]*)?$",
        "ConstraintDescription": f"empty, or the ARN of an RDS DB instance in {origin.region}",
        "Description": f"ARN of the {origin.id} DB instance in {origin.region} (that stack's output of the same "
        f"name), which {c.id} replicates. Empty until that stack exists; the read replica is created on the "
        "update that sets it.",
    })  # fmt: skip
    condition = f"Replicates{logical_id(origin.id)}"
    stack.conditions[condition] = {"Fn::Not": [{"Fn::Equals": [ref(source), ""]}]}
    return condition, None


def _rds_supporting(stack: Stack, root: Root, c: Component, name: Any, condition: str | None) -> list[str]:
    """Security group, subnet group, parameter group, log groups and monitoring role; the log groups' ids."""
    engine, port, family, log_types = _engine(c)
    base = logical_id(c.id)
    _security_group(stack, f"{base}SecurityGroup", fn_sub(f"{stack.prefix}-{c.id}-db"), f"{c.id} database", port)
    stack.add(
        f"{base}SubnetGroup",
        "AWS::RDS::DBSubnetGroup",
        {
            "DBSubnetGroupName": name,
            "DBSubnetGroupDescription": fn_sub(f"{stack.prefix}-{c.id}: private subnets"),
            "SubnetIds": private_subnet_ids(root),
            "Tags": stack.tags(),
        },
    )
    logging = "DDL and slow-statement logging" if engine == "postgres" else "slow-query logging"
    stack.add(
        f"{base}ParameterGroup",
        "AWS::RDS::DBParameterGroup",
        {
            "DBParameterGroupName": name,
            "Family": family,
            "Description": fn_sub(f"{stack.prefix}-{c.id}: TLS required, {logging}"),
            "Parameters": _parameters(engine),
            "Tags": stack.tags(),
        },
    )
    logs = []
    for log_type in log_types:
        group = f"{base}{logical_id(log_type)}LogGroup"
        logs.append(group)
        stack.log_group(group, fn_sub(f"/aws/rds/instance/{_sub_text(name)}/{log_type}"), condition=condition)
    stack.add(
        f"{base}MonitoringRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"Enhanced Monitoring of {stack.prefix}-{c.id}"),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement(
                    "RdsMonitoringAssumes", ["sts:AssumeRole"], None, {"Service": "monitoring.rds.amazonaws.com"}
                )
            ),
            "ManagedPolicyArns": [
                fn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")
            ],
            "Tags": stack.tags(),
        },
        **({"Condition": condition} if condition else {}),
    )
    return logs


def _rds_source(root: Root, c: Component, snapshot: str | None, key: Any) -> dict[str, Any]:
    """What the instance starts from: a source instance (replica), a snapshot (restore) or nothing (primary)."""
    origin = root.origin_of(c)
    if origin is not None and not root.is_restore:
        # engine and version come from the source; the storage is encrypted with this Region's key
        return {"SourceDBInstanceIdentifier": ref(f"{logical_id(origin.id)}Arn")}
    properties: dict[str, Any] = {"Engine": _engine(c)[0], "EngineVersion": str(c.properties["engine_version"])}
    if snapshot is not None:
        properties["DBSnapshotIdentifier"] = ref(snapshot)
    else:
        properties |= {"DBName": "app", "MasterUsername": "dbadmin"}
    # RDS generates the master password and keeps it in Secrets Manager, encrypted with the Region's key
    return properties | {"ManageMasterUserPassword": True, "MasterUserSecret": {"KmsKeyId": key}}


def _rds_findings(stack: Stack, replica: bool, restore: bool, multi_az: bool) -> dict[str, Any]:
    """The instance's checkov skips (as Metadata) and the template's cfn-lint suppression, each with its reason."""
    if not replica:  # a replica takes the source's version
        stack.lint_suppressions["W3691"] = (
            "The engine version is the design's (archgen's data/sizing.yaml), the same as the Terraform's; cfn-lint's "
            "RDS data lists it as no longer offered for new instances. Raise it in the design data for both targets."
            + (" A restore takes the snapshot's version." if restore else "")
        )
    skips = []
    if replica:
        skips.append({
            "id": "CKV_AWS_16",
            "comment": "A read replica inherits encryption from its source and is encrypted with this Region's key "
            "(KmsKeyId); CloudFormation refuses StorageEncrypted beside SourceDBInstanceIdentifier.",
        })  # fmt: skip
    if not multi_az:
        skips.append({
            "id": "CKV_AWS_157",
            "comment": "Multi-AZ is the design's decision from the availability target"
            + (": the standby replica runs in one zone until it is promoted, then Multi-AZ is turned on."
               if replica else "; a single-AZ instance is chosen only when the target allows it."),
        })  # fmt: skip
    return {"Metadata": {"checkov": {"skip": skips}}} if skips else {}


def add_rds_instance(stack: Stack, root: Root, c: Component) -> None:
    """An RDS for PostgreSQL or MySQL instance (templates/terraform/modules/rds).

    In the recovery Region of pilot light and warm standby a read replica, in the restore stack a restore of the
    copied recovery point.
    """
    engine, port, _, log_types = _engine(c)
    base = logical_id(c.id)
    name = bounded_name(stack, c.id, 63)
    origin = root.origin_of(c)
    replica = origin is not None and not root.is_restore
    condition, snapshot = _dr_parameters(stack, root, c)
    logs = _rds_supporting(stack, root, c, name, condition)
    key = get_att("Key", "Arn")
    properties: dict[str, Any] = {"DBInstanceIdentifier": name, **_rds_source(root, c, snapshot, key)}
    properties |= {
        "DBInstanceClass": str(c.properties["instance_class"]),
        "Port": str(port),
        "StorageType": "gp3",
        "AllocatedStorage": str(int(number(c.properties, "allocated_storage_gb"))),
        "MaxAllocatedStorage": int(number(c.properties, "max_allocated_storage_gb")),
        "StorageEncrypted": True,
        "KmsKeyId": key,
        "MultiAZ": bool(c.properties.get("multi_az")),
        "DBSubnetGroupName": ref(f"{base}SubnetGroup"),
        "VPCSecurityGroups": [get_att(f"{base}SecurityGroup", "GroupId")],
        "PubliclyAccessible": False,
        "DBParameterGroupName": ref(f"{base}ParameterGroup"),
        "CACertificateIdentifier": "rds-ca-rsa2048-g1",
        "EnableIAMDatabaseAuthentication": True,
        "EnablePerformanceInsights": True,
        "PerformanceInsightsKMSKeyId": key,
        "PerformanceInsightsRetentionPeriod": 7,
        "MonitoringInterval": 60,
        "MonitoringRoleArn": get_att(f"{base}MonitoringRole", "Arn"),
        "EnableCloudwatchLogsExports": log_types,
        "BackupRetentionPeriod": int(number(c.properties, "backup_retention_days")),
        "PreferredBackupWindow": BACKUP_WINDOW,
        "PreferredMaintenanceWindow": MAINTENANCE_WINDOW,
        "CopyTagsToSnapshot": True,
        "DeleteAutomatedBackups": False,
        "DeletionProtection": True,
        "AutoMinorVersionUpgrade": True,
        # AWS Backup selects by this tag; it cannot back up a read replica
        "Tags": stack.tags({"archgen:backup": "true"} if _backup_tagged(root) and not replica else None),
    }
    if replica:
        # CloudFormation refuses StorageEncrypted beside a source: a replica inherits encryption, here with KmsKeyId
        del properties["StorageEncrypted"]
    stack.add(
        f"{base}Database",
        "AWS::RDS::DBInstance",
        properties,
        **_rds_findings(stack, replica, root.is_restore, properties["MultiAZ"]),
        **({"Condition": condition} if condition else {}),
        DependsOn=logs,  # the exported logs' groups exist, encrypted, before RDS would create them unencrypted
        DeletionPolicy="Snapshot",
        UpdateReplacePolicy="Snapshot",
    )
    kind = "RDS for PostgreSQL" if engine == "postgres" else "RDS for MySQL"
    description = f"ARN of {c.id} ({kind})."
    copy = root.recovery_copy(c.id) if origin is None else None
    if copy is not None:
        description = (
            f"ARN of {c.id} ({kind}): the {copy.region} stack's {base}Arn parameter (its read replica {copy.id} "
            "replicates this instance)."
        )
    elif replica:
        description = (
            f"ARN of {c.id}, the read replica of {origin.id} (on failover promote it: aws rds "  # type: ignore[union-attr]
            "promote-read-replica, then turn on Multi-AZ)."
        )
    stack.output(f"{base}Arn", description, db_arn(f"{base}Database"), condition)
    endpoint = get_att(f"{base}Database", "Endpoint.Address")
    stack.output(f"{base}Endpoint", f"Host name of {c.id} (TLS required).", endpoint, condition)


def _sub_text(value: Any) -> str:
    """The text of a Fn::Sub (or a plain string) to embed in another Fn::Sub."""
    return str(value["Fn::Sub"]) if isinstance(value, dict) else str(value)


# -- ElastiCache -----------------------------------------------------------------------------------------------------


def add_valkey(stack: Stack, root: Root, c: Component) -> None:
    """An ElastiCache for Valkey replication group (templates/terraform/modules/elasticache).

    Cluster mode disabled, with an RBAC user that authenticates with IAM; a recovery copy is an independent cache
    that starts empty.
    """
    engine = "valkey"
    base = logical_id(c.id)
    port = 6379
    replicas = int(number(c.properties, "replicas"))
    failover = replicas > 0
    name = bounded_name(stack, c.id, 40)
    app_user = bounded_name(stack, f"{c.id}-app", 40)
    _security_group(stack, f"{base}SecurityGroup", fn_sub(f"{stack.prefix}-{c.id}-cache"), f"{c.id} cache", port)
    stack.add(
        f"{base}SubnetGroup",
        "AWS::ElastiCache::SubnetGroup",
        {
            "CacheSubnetGroupName": name,
            "Description": fn_sub(f"{stack.prefix}-{c.id}: private subnets"),
            "SubnetIds": private_subnet_ids(root),
            "Tags": stack.tags(),
        },
    )
    deliveries = []
    for log_type in ("slow-log", "engine-log"):
        group = f"{base}{logical_id(log_type)}Group"
        path = fn_sub(f"/aws/elasticache/{_sub_text(name)}/{log_type}")
        stack.log_group(group, path)
        deliveries.append(
            {
                "DestinationType": "cloudwatch-logs",
                "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": ref(group)}},
                "LogFormat": "json",
                "LogType": log_type,
            }
        )
    stack.add(
        f"{base}AppUser",
        "AWS::ElastiCache::User",
        {
            # IAM-authenticated users must have the same user id and user name
            "UserId": app_user,
            "UserName": app_user,
            "Engine": engine,
            "AccessString": "on ~* &* +@all -@dangerous",
            "AuthenticationMode": {"Type": "iam"},
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}UserGroup",
        "AWS::ElastiCache::UserGroup",
        {"UserGroupId": name, "Engine": engine, "UserIds": [ref(f"{base}AppUser")], "Tags": stack.tags()},
    )
    stack.add(
        f"{base}ReplicationGroup",
        "AWS::ElastiCache::ReplicationGroup",
        {
            "ReplicationGroupId": name,
            "ReplicationGroupDescription": fn_sub(f"{stack.prefix}-{c.id}: {engine} cache"),
            "Engine": engine,
            "EngineVersion": "8.0",
            "CacheNodeType": str(c.properties["node_type"]),
            "Port": port,
            "NumCacheClusters": 1 + replicas,
            "AutomaticFailoverEnabled": failover,
            "MultiAZEnabled": failover,
            "CacheSubnetGroupName": ref(f"{base}SubnetGroup"),
            "SecurityGroupIds": [get_att(f"{base}SecurityGroup", "GroupId")],
            "AtRestEncryptionEnabled": True,
            "KmsKeyId": get_att("Key", "Arn"),
            "TransitEncryptionEnabled": True,
            "TransitEncryptionMode": "required",
            "UserGroupIds": [ref(f"{base}UserGroup")],
            "SnapshotRetentionLimit": 7,
            "SnapshotWindow": BACKUP_WINDOW,
            "PreferredMaintenanceWindow": MAINTENANCE_WINDOW,
            "AutoMinorVersionUpgrade": True,
            "LogDeliveryConfigurations": deliveries,
            "Tags": stack.tags(),
        },
        DeletionPolicy="Snapshot",
        UpdateReplacePolicy="Snapshot",
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV_AWS_31",
                        "comment": "No shared AUTH token by design: access control is RBAC with IAM authentication "
                        "(the user group), so clients connect with short-lived IAM tokens over TLS and no password "
                        "exists to leak or rotate.",
                    }
                ]
            }
        },
    )
    stack.output(
        f"{base}Arn",
        f"ARN of {c.id} (ElastiCache for Valkey).",
        fn_sub(
            "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:replicationgroup:"
            f"${{{base}ReplicationGroup}}"
        ),
    )
    stack.output(
        f"{base}PrimaryEndpoint",
        f"Host name of {c.id}'s primary (TLS required; authenticate as the application user with an IAM token).",
        get_att(f"{base}ReplicationGroup", "PrimaryEndPoint.Address"),
    )
    stack.output(f"{base}Username", f"User {c.id}'s clients authenticate as (IAM).", app_user)


# -- what a service needs ------------------------------------------------------------------------------------------


def data_access_statements(root: Root, c: Component) -> list[Any]:
    """What a service needs on the databases and caches it connects to (the modules' access_policy_json).

    IAM authentication as the application user and, on a primary database, the master-user secret for
    migrations; a read replica's statement only while the replica exists (its condition).
    """
    statements: list[Any] = []
    for target in root.targets_of(c.id):
        base = logical_id(target.id)
        if target.kind in ("rds-postgresql", "rds-mysql"):
            origin = root.origin_of(target)
            replica = origin is not None and not root.is_restore
            connect = {
                "Sid": f"Connect{base}WithIamAuthentication",
                "Effect": "Allow",
                "Action": ["rds-db:connect"],
                "Resource": fn_sub(
                    "arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:"
                    f"${{{base}Database.DbiResourceId}}/app"
                ),
            }
            if replica:
                assert origin is not None
                statements.append(fn_if(f"Replicates{logical_id(origin.id)}", connect))
                continue
            via = {"StringEquals": {"kms:ViaService": fn_sub("secretsmanager.${AWS::Region}.amazonaws.com")}}
            statements += [
                connect,
                {
                    "Sid": f"Read{base}MasterUserSecret",
                    "Effect": "Allow",
                    "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    "Resource": get_att(f"{base}Database", "MasterUserSecret.SecretArn"),
                },
                {
                    "Sid": f"Decrypt{base}MasterUserSecret",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt"],
                    "Resource": get_att("Key", "Arn"),
                    "Condition": via,
                },
            ]
        elif target.kind == "elasticache-valkey":
            prefix = "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}"
            statements.append(
                {
                    "Sid": f"Connect{base}AsApplicationUser",
                    "Effect": "Allow",
                    "Action": ["elasticache:Connect"],
                    "Resource": [
                        fn_sub(f"{prefix}:replicationgroup:${{{base}ReplicationGroup}}"),
                        fn_sub(f"{prefix}:user:${{{base}AppUser}}"),
                    ],
                }
            )
    return statements
