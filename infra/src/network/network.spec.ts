import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ref, synthStack } from '../testing/synth';

describe('network', () => {
  describe('by default', () => {
    const tf = synthStack();
    const [vpcId] = Object.keys(tf.resources('aws_vpc'));
    const endpoints = Object.values(tf.resources('aws_vpc_endpoint'));

    it('creates a VPC with private subnets and no way to the internet', () => {
      expect(tf.json).toHaveResourceWithProperties(Vpc, { enable_dns_hostnames: true, enable_dns_support: true });
      const subnets = Object.values(tf.resources('aws_subnet'));
      expect(subnets).toHaveLength(1);
      for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
      for (const type of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_route']) {
        expect({ type, resources: tf.resources(type) }).toEqual({ type, resources: {} });
      }
      for (const table of Object.values(tf.resources('aws_route_table'))) {
        expect(table.route ?? []).toEqual([]);
      }
    });

    it('reaches S3 through a gateway endpoint on the private route table', () => {
      const [routeTableId] = Object.keys(tf.resources('aws_route_table'));
      expect(endpoints).toContainEqual(
        expect.objectContaining({
          service_name: 'com.amazonaws.us-east-1.s3',
          vpc_endpoint_type: 'Gateway',
          route_table_ids: [ref('aws_route_table', routeTableId, 'id')],
        }),
      );
    });

    it('pulls images and writes logs through interface endpoints', () => {
      const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');
      expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual([
        'com.amazonaws.us-east-1.ecr.api',
        'com.amazonaws.us-east-1.ecr.dkr',
        'com.amazonaws.us-east-1.logs',
      ]);
      for (const endpoint of interfaces) expect(endpoint.private_dns_enabled).toBe(true);
    });

    it('lets the jobs out on HTTPS only, and nothing in', () => {
      const jobs = tf.find('aws_security_group', 'name', 'wordbatch-jobs');
      const jobsRef = ref('aws_security_group', jobs.id, 'id');
      const egress = Object.values(tf.resources('aws_vpc_security_group_egress_rule'));
      expect(egress).toEqual([expect.objectContaining({ security_group_id: jobsRef, from_port: 443, to_port: 443 })]);
      const ingress = Object.values(tf.resources('aws_vpc_security_group_ingress_rule'));
      expect(ingress).toEqual([
        expect.objectContaining({ referenced_security_group_id: jobsRef, from_port: 443, to_port: 443 }),
      ]);
      expect(tf.json).toHaveResourceWithProperties(BatchComputeEnvironment, {
        compute_resources: expect.objectContaining({
          security_group_ids: [jobsRef],
          subnets: `\${aws_subnet.${Object.keys(tf.resources('aws_subnet'))[0]}[*].id}`,
        }),
      });
      expect(vpcId).toBeDefined();
    });
  });

  describe('picks its zones from what the region offers, not from sorted names', () => {
    const tf = synthStack({ network: { availabilityZones: 3 } });
    const dataOf = (type: string) => (JSON.parse(tf.json) as { data: Record<string, Record<string, Record<string, unknown>>> }).data[type];
    const [zonesId] = Object.keys(dataOf('aws_availability_zones'));
    const [subnetId] = Object.keys(tf.resources('aws_subnet'));
    const subnet = tf.resources('aws_subnet')[subnetId];

    it('keeps only regular Availability Zones that need no opt-in (no Local or Wavelength Zones)', () => {
      expect(dataOf('aws_availability_zones')[zonesId]).toEqual({
        state: 'available',
        filter: [
          { name: 'zone-type', values: ['availability-zone'] },
          { name: 'opt-in-status', values: ['opt-in-not-required'] },
        ],
      });
    });

    it('keeps only zones where every interface endpoint is offered', () => {
      const services = Object.values(dataOf('aws_vpc_endpoint_service')).map((service) => service.service_name);
      expect(services.sort()).toEqual(['ecr.api', 'ecr.dkr', 'logs'].map((s) => `com.amazonaws.us-east-1.${s}`));
      for (const id of Object.keys(dataOf('aws_vpc_endpoint_service'))) {
        expect(subnet.availability_zone).toContain(`tolist(data.aws_vpc_endpoint_service.${id}.availability_zones)`);
      }
      expect(subnet.availability_zone).toMatch(
        new RegExp(`^\\$\\{element\\(sort\\(setintersection\\(data\\.aws_availability_zones\\.${zonesId}\\.names, .*\\), count\\.index\\)\\}$`),
      );
    });

    it('makes one subnet per zone, never more subnets than usable zones', () => {
      expect(subnet.count).toMatch(/^\$\{min\(3, length\(sort\(setintersection\(/);
      expect(subnet.cidr_block).toBe('${cidrsubnet("10.42.0.0/16", 4, count.index)}');
      const [association] = Object.values(tf.resources('aws_route_table_association'));
      expect(association.count).toBe(subnet.count);
    });
  });

  it('adds the ECS endpoints the agent needs on EC2 hosts', () => {
    const tf = synthStack({ computeType: 'ec2' });
    const services = Object.values(tf.resources('aws_vpc_endpoint')).map((endpoint) => endpoint.service_name);
    expect(services).toEqual(
      expect.arrayContaining(['ecs', 'ecs-agent', 'ecs-telemetry'].map((s) => `com.amazonaws.us-east-1.${s}`)),
    );
  });

  it('uses existing subnets and security groups when given, creating no network', () => {
    const tf = synthStack({
      network: { subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] },
    });
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_vpc_endpoint', 'aws_security_group']) {
      expect({ type, resources: tf.resources(type) }).toEqual({ type, resources: {} });
    }
    expect(tf.json).toHaveResourceWithProperties(BatchComputeEnvironment, {
      compute_resources: expect.objectContaining({ subnets: ['subnet-a', 'subnet-b'], security_group_ids: ['sg-1'] }),
    });
  });
});
