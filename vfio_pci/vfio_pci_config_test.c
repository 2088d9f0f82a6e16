// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of config space virtualization (CONFIG_VFIO_KUNIT_TEST),
 * #included at the end of vfio_pci_config.c: they run when vfio-pci
 * loads.
 *
 * The device is a fake: a pci_dev on a pci_bus whose config accessors
 * read and write a byte array, with BAR resources set by hand.  Only
 * paths without side effects on a real device are tested: building the
 * virtual config space and its capability lists, the vmask/wmask rules
 * of a read and a write, BAR sizing, the MSI flags hook and how an access
 * is cut into pieces.  The command register, power management, resets
 * and VPD need a real device (the VM selftests do them).
 */
#include <kunit/test.h>

struct vfio_test_pci {
	struct pci_bus			bus;
	struct pci_dev			pdev;
	struct vfio_pci_device		vdev;
	u8				cfg[PCI_CFG_SPACE_EXP_SIZE];
	unsigned int			writes;	/* to the device */
};

static int vfio_test_cfg_read(struct pci_bus *bus, unsigned int devfn,
			      int where, int size, u32 *val)
{
	struct vfio_test_pci *t = container_of(bus, struct vfio_test_pci, bus);

	if (where < 0 || where + size > sizeof(t->cfg))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	*val = cfg_get(t->cfg, where, size);
	return PCIBIOS_SUCCESSFUL;
}

static int vfio_test_cfg_write(struct pci_bus *bus, unsigned int devfn,
			       int where, int size, u32 val)
{
	struct vfio_test_pci *t = container_of(bus, struct vfio_test_pci, bus);

	if (where < 0 || where + size > sizeof(t->cfg))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	cfg_set(t->cfg, where, size, val);
	t->writes++;
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops vfio_test_pci_ops = {
	.read = vfio_test_cfg_read,
	.write = vfio_test_cfg_write,
};

/*
 * The fake device's config space:
 *   0x40 PM, next 0x50
 *   0x50 bridge subsystem ID (hidden), next 0x60
 *   0x60 MSI, 64-bit, per-vector masking (24 bytes), next 0x80
 *   0x80 vendor specific, 12 bytes, next 0x90
 *   0x90 null capability (hidden), next 0
 *  0x100 unknown ecap (hidden, first: stays), next 0x140
 *  0x140 AER, next 0x180
 *  0x180 unknown ecap (hidden, unlinked), next 0x1c0
 *  0x1c0 device serial number, next 0
 */
static void vfio_test_cfg_fill(u8 *cfg)
{
	cfg_set(cfg, PCI_VENDOR_ID, 2, 0x1234);
	cfg_set(cfg, PCI_DEVICE_ID, 2, 0x5678);
	cfg_set(cfg, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	cfg_set(cfg, PCI_BASE_ADDRESS_0, 4, 0xfe000000);
	cfg_set(cfg, PCI_BASE_ADDRESS_2, 4, 0x0000000c);
	cfg_set(cfg, PCI_BASE_ADDRESS_3, 4, 0x00000008);
	cfg_set(cfg, PCI_BASE_ADDRESS_4, 4, 0x0000c001);
	cfg_set(cfg, PCI_ROM_ADDRESS, 4, 0xfd000000);
	cfg[PCI_CAPABILITY_LIST] = 0x40;
	cfg[PCI_INTERRUPT_PIN] = 1;

	cfg[0x40] = PCI_CAP_ID_PM;
	cfg[0x41] = 0x50;
	cfg_set(cfg, 0x40 + PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK | 3);
	cfg_set(cfg, 0x40 + PCI_PM_CTRL, 2, PCI_PM_CTRL_PME_STATUS |
		PCI_PM_CTRL_PME_ENABLE);
	cfg[0x50] = PCI_CAP_ID_SSVID;
	cfg[0x51] = 0x60;
	cfg[0x60] = PCI_CAP_ID_MSI;
	cfg[0x61] = 0x80;
	cfg_set(cfg, 0x60 + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT |
		PCI_MSI_FLAGS_MASKBIT | 0x0a /* 32 vectors capable */);
	cfg[0x80] = PCI_CAP_ID_VNDR;
	cfg[0x81] = 0x90;
	cfg[0x80 + PCI_CAP_FLAGS] = 12;
	cfg[0x90] = 0;
	cfg[0x91] = 0;

	cfg_set(cfg, 0x100, 4, 0x30 | 1 << 16 | 0x140 << 20);
	cfg_set(cfg, 0x140, 4, PCI_EXT_CAP_ID_ERR | 1 << 16 | 0x180 << 20);
	cfg_set(cfg, 0x180, 4, 0x30 | 1 << 16 | 0x1c0 << 20);
	cfg_set(cfg, 0x1c0, 4, PCI_EXT_CAP_ID_DSN | 1 << 16);
	cfg_set(cfg, 0x1c4, 4, 0x89abcdef);
}

static void vfio_test_resource(struct pci_dev *pdev, int bar, u64 start,
			       u64 len, unsigned long flags)
{
	pdev->resource[bar].start = start;
	pdev->resource[bar].end = start + len - 1;
	pdev->resource[bar].flags = flags;
}

static int vfio_test_pci_init(struct kunit *test)
{
	struct vfio_test_pci *t;
	struct pci_dev *pdev;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->bus.ops = &vfio_test_pci_ops;
	pdev = &t->pdev;
	pdev->bus = &t->bus;
	pdev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	pdev->dev.init_name = "vfio-pci-kunit";
	vfio_test_resource(pdev, 0, 0xfe000000, SZ_4K, IORESOURCE_MEM);
	vfio_test_resource(pdev, 2, 0x800000000ULL, SZ_1M, IORESOURCE_MEM |
			   IORESOURCE_MEM_64 | IORESOURCE_PREFETCH);
	vfio_test_resource(pdev, 4, 0xc000, 0x20, IORESOURCE_IO);
	vfio_test_resource(pdev, PCI_ROM_RESOURCE, 0xfd000000, SZ_64K,
			   IORESOURCE_MEM);
	vfio_test_cfg_fill(t->cfg);

	t->vdev.pdev = pdev;
	t->vdev.irq_type = VFIO_PCI_NUM_IRQS;
	mutex_init(&t->vdev.config_lock);
	ret = vfio_pci_config_init(&t->vdev);
	if (ret)
		return ret;
	test->priv = t;
	return 0;
}

static void vfio_test_pci_exit(struct kunit *test)
{
	struct vfio_test_pci *t = test->priv;

	if (t)
		vfio_pci_config_free(&t->vdev);
}

static struct vfio_test_pci *vfio_test_pci(struct kunit *test)
{
	return test->priv;
}

static u32 vfio_test_read(struct vfio_pci_device *vdev, int pos, int n)
{
	u32 val = 0xdeadbeef;
	int ret;

	mutex_lock(&vdev->config_lock);
	ret = vfio_cfg_read_piece(vdev, pos, n, &val);
	mutex_unlock(&vdev->config_lock);
	return ret ? 0xdeadbeef : val;
}

static int vfio_test_write(struct vfio_pci_device *vdev, int pos, int n,
			   u32 val)
{
	int ret;

	mutex_lock(&vdev->config_lock);
	ret = vfio_cfg_write_piece(vdev, pos, n, val);
	mutex_unlock(&vdev->config_lock);
	return ret;
}

static void vfio_test_expect_owner(struct kunit *test,
				   struct vfio_pci_device *vdev, int pos,
				   int len, u8 owner)
{
	int i;

	for (i = pos; i < pos + len; i++)
		KUNIT_EXPECT_EQ_MSG(test, vdev->cfg_map[i], owner,
				    "owner of %#x", i);
}

/* The standard list: hidden capabilities are unlinked. */
static void vfio_pci_cfg_cap_list(struct kunit *test)
{
	struct vfio_pci_device *vdev = &vfio_test_pci(test)->vdev;
	u8 *vconfig = vdev->vconfig;

	KUNIT_EXPECT_EQ(test, vconfig[PCI_CAPABILITY_LIST], 0x40);
	KUNIT_EXPECT_EQ(test, vconfig[0x41], 0x60);
	KUNIT_EXPECT_EQ(test, vconfig[0x61], 0x80);
	KUNIT_EXPECT_EQ(test, vconfig[0x81], 0);
	KUNIT_EXPECT_TRUE(test, vconfig_word(vdev, PCI_STATUS) &
			  PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, vdev->pm_pos, 0x40);
	KUNIT_EXPECT_EQ(test, vdev->msi_pos, 0x60);

	vfio_test_expect_owner(test, vdev, 0, PCI_STD_HEADER_SIZEOF,
			       VFIO_CFG_HEADER);
	vfio_test_expect_owner(test, vdev, 0x40, PCI_PM_SIZEOF,
			       PCI_CAP_ID_PM);
	vfio_test_expect_owner(test, vdev, 0x48, 0x18, VFIO_CFG_RAW);
	vfio_test_expect_owner(test, vdev, 0x60, 24, PCI_CAP_ID_MSI);
	vfio_test_expect_owner(test, vdev, 0x78, 8, VFIO_CFG_RAW);
	vfio_test_expect_owner(test, vdev, 0x80, 12, PCI_CAP_ID_VNDR);
	vfio_test_expect_owner(test, vdev, 0x8c, 0x74, VFIO_CFG_RAW);

	/* what the user reads goes through the same list */
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x40, 2), 0x6000 |
			PCI_CAP_ID_PM);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x80, 4), 0x000c0000 |
			PCI_CAP_ID_VNDR);
	/* PME is hidden */
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x40 + PCI_PM_PMC, 2), 3);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x40 + PCI_PM_CTRL, 2), 0);
}

/*
 * A pointer into the header ends the list; no capability at all clears
 * the status bit.
 */
static void vfio_pci_cfg_cap_list_bad(struct kunit *test)
{
	struct vfio_test_pci *t = vfio_test_pci(test);
	struct vfio_pci_device *vdev = &t->vdev;

	vfio_pci_config_free(vdev);
	t->cfg[0x81] = 0x10;
	KUNIT_EXPECT_EQ(test, vfio_pci_config_init(vdev), 0);
	KUNIT_EXPECT_EQ(test, vdev->vconfig[0x81], 0);

	vfio_pci_config_free(vdev);
	t->cfg[PCI_CAPABILITY_LIST] = 0x50;
	t->cfg[0x51] = 0x90;
	KUNIT_EXPECT_EQ(test, vfio_pci_config_init(vdev), 0);
	KUNIT_EXPECT_EQ(test, vdev->vconfig[PCI_CAPABILITY_LIST], 0);
	KUNIT_EXPECT_FALSE(test, vconfig_word(vdev, PCI_STATUS) &
			   PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, vdev->pm_pos, 0);
	KUNIT_EXPECT_EQ(test, vdev->msi_pos, 0);
	vfio_test_expect_owner(test, vdev, 0x40, 0xc0, VFIO_CFG_RAW);
}

/* The extended list: a hidden first ecap stays, showing only "next". */
static void vfio_pci_cfg_ecap_list(struct kunit *test)
{
	struct vfio_pci_device *vdev = &vfio_test_pci(test)->vdev;

	KUNIT_EXPECT_TRUE(test, vdev->extended_caps);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, 0x100, 4), 0x140 << 20);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, 0x140, 4),
			PCI_EXT_CAP_ID_ERR | 1 << 16 | 0x1c0 << 20);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, 0x1c0, 4),
			PCI_EXT_CAP_ID_DSN | 1 << 16);
	vfio_test_expect_owner(test, vdev, 0x100, 4, VFIO_CFG_HIDDEN);
	vfio_test_expect_owner(test, vdev, 0x104, 0x3c, VFIO_CFG_RAW);
	vfio_test_expect_owner(test, vdev, 0x140, PCI_ERR_ROOT_COMMAND,
			       PCI_EXT_CAP_ID_ERR);
	vfio_test_expect_owner(test, vdev, 0x180, 4, VFIO_CFG_RAW);
	vfio_test_expect_owner(test, vdev, 0x1c0, PCI_EXT_CAP_DSN_SIZEOF,
			       PCI_EXT_CAP_ID_DSN);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x1c4, 4), 0x89abcdef);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x100, 4), 0x140 << 20);
}

/*
 * A read returns virtual bits from vconfig, the others from the device; a
 * write changes the writable virtual bits in vconfig, and the writable
 * others in the device (read-modify-write), nothing else.
 */
static void vfio_pci_cfg_masks(struct kunit *test)
{
	struct vfio_test_pci *t = vfio_test_pci(test);
	struct vfio_pci_device *vdev = &t->vdev;
	const int pos = 0xa0;	/* no capability claims it */
	unsigned int writes;
	u32 val;

	cfg_set(t->cfg, pos, 4, 0x11223344);
	cfg_set(vdev->vconfig, pos, 4, 0xaabbccdd);
	cfg_perm(vdev, pos, 4, 0x0000ffff, 0x00ff00ff);

	KUNIT_EXPECT_EQ(test, vfio_cfg_default_read(vdev, pos, 4, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x1122ccdd);

	writes = t->writes;
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_write(vdev, pos, 4, 0x55667788),
			0);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, pos, 4), 0xaabbcc88);
	KUNIT_EXPECT_EQ(test, cfg_get(t->cfg, pos, 4), 0x11663344);
	KUNIT_EXPECT_EQ(test, t->writes, writes + 1);
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_read(vdev, pos, 4, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x1166cc88);
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_read(vdev, pos + 2, 2, &val),
			0);
	KUNIT_EXPECT_EQ(test, val, 0x1166);
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_read(vdev, pos + 1, 1, &val),
			0);
	KUNIT_EXPECT_EQ(test, val, 0xcc);

	/* writable virtual bits only: the device is not written */
	writes = t->writes;
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_write(vdev, pos, 1, 0x00), 0);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, pos, 4), 0xaabbcc00);
	KUNIT_EXPECT_EQ(test, t->writes, writes);
	/* nothing writable: nothing changes */
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_write(vdev, pos + 3, 1, 0x00),
			0);
	KUNIT_EXPECT_EQ(test, vfio_cfg_default_write(vdev, pos + 1, 1, 0x00),
			0);
	KUNIT_EXPECT_EQ(test, cfg_get(vdev->vconfig, pos, 4), 0xaabbcc00);
	KUNIT_EXPECT_EQ(test, cfg_get(t->cfg, pos, 4), 0x11663344);
	KUNIT_EXPECT_EQ(test, t->writes, writes);

	/* the header's read-only virtual registers */
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_VENDOR_ID, 4, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_VENDOR_ID, 4),
			0x56781234);
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_INTERRUPT_PIN, 1, 4),
			0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_INTERRUPT_PIN, 1), 1);
	KUNIT_EXPECT_EQ(test, t->writes, writes);
}

/* Writing all ones to a BAR reads back its size, as on hardware. */
static void vfio_pci_cfg_bar_sizing(struct kunit *test)
{
	struct vfio_test_pci *t = vfio_test_pci(test);
	struct vfio_pci_device *vdev = &t->vdev;
	unsigned int writes = t->writes;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_BASE_ADDRESS_0 +
						      4 * bar, 4, ~0U), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_ROM_ADDRESS, 4, ~0U),
			0);

	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_0, 4),
			0xfffff000);
	/* unassigned BARs are unimplemented */
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_1, 4), 0);
	/* 1 MiB, 64-bit, prefetchable: the upper half sizes too */
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_2, 4),
			0xfff00000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			PCI_BASE_ADDRESS_MEM_PREFETCH);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_3, 4),
			0xffffffff);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_4, 4),
			0xffffffe0 | PCI_BASE_ADDRESS_SPACE_IO);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_5, 4), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_ROM_ADDRESS, 4),
			0xffff0000 | PCI_ROM_ADDRESS_ENABLE);
	/* byte reads see the sized value too */
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_0 + 1, 1),
			0xf0);

	/* An address written back reads back, low bits as the BAR's type */
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_BASE_ADDRESS_0, 4,
					      0x12345fff), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_BASE_ADDRESS_2, 4,
					      0xabc00000), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, PCI_BASE_ADDRESS_3, 4, 1),
			0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_0, 4),
			0x12345000);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_2, 4),
			0xabc0000c);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, PCI_BASE_ADDRESS_3, 4), 1);

	/* the device's BARs were never written */
	KUNIT_EXPECT_EQ(test, t->writes, writes);
	KUNIT_EXPECT_EQ(test, cfg_get(t->cfg, PCI_BASE_ADDRESS_0, 4),
			0xfe000000);
}

/*
 * MSI enable only sticks while MSI is in use; the queue size is capped.
 * The user writes the flags back as read (the rest of the low byte is
 * what it read: the byte is virtual and writable as a whole).
 */
static void vfio_pci_cfg_msi_flags(struct kunit *test)
{
	struct vfio_test_pci *t = vfio_test_pci(test);
	struct vfio_pci_device *vdev = &t->vdev;
	int pos = 0x60 + PCI_MSI_FLAGS;
	u16 caps = PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT | 0x0a;

	vdev->msi_qmax = 2;
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, pos, 2), caps);
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, pos, 2, caps |
					      PCI_MSI_FLAGS_ENABLE | 5 << 4),
			0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, pos, 2), caps | 2 << 4);

	vdev->irq_type = VFIO_PCI_MSI_IRQ_INDEX;
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, pos, 2, caps |
					      PCI_MSI_FLAGS_ENABLE | 1 << 4),
			0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, pos, 2),
			caps | PCI_MSI_FLAGS_ENABLE | 1 << 4);
	/* the address and data are virtual: the device never sees them */
	KUNIT_EXPECT_EQ(test, vfio_test_write(vdev, 0x60 + PCI_MSI_ADDRESS_LO,
					      4, 0xfee00000), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_read(vdev, 0x60 + PCI_MSI_ADDRESS_LO,
					     4), 0xfee00000);
	KUNIT_EXPECT_EQ(test, cfg_get(t->cfg, 0x60 + PCI_MSI_ADDRESS_LO, 4),
			0);
	KUNIT_EXPECT_EQ(test, t->writes, 0);
}

/* An access is cut at owner changes, in naturally aligned pieces. */
static void vfio_pci_cfg_pieces(struct kunit *test)
{
	struct vfio_pci_device *vdev = &vfio_test_pci(test)->vdev;

	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0, 64), 4);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0, 3), 2);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 1, 8), 1);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 2, 8), 2);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x3e, 8), 2);
	/* VNDR ends at 0x8c: the dword at 0x8c is raw */
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x88, 8), 4);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x8c, 8), 4);
	/* owner changes within a dword */
	vdev->cfg_map[0x4a] = PCI_CAP_ID_VNDR;
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x48, 4), 2);
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x49, 4), 1);
	vdev->cfg_map[0x49] = PCI_CAP_ID_VNDR;
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, 0x48, 4), 1);
	/* the last byte */
	KUNIT_EXPECT_EQ(test, vfio_cfg_piece(vdev, PCI_CFG_SPACE_EXP_SIZE - 1,
					     1), 1);
}

static struct kunit_case vfio_pci_config_cases[] = {
	KUNIT_CASE(vfio_pci_cfg_cap_list),
	KUNIT_CASE(vfio_pci_cfg_cap_list_bad),
	KUNIT_CASE(vfio_pci_cfg_ecap_list),
	KUNIT_CASE(vfio_pci_cfg_masks),
	KUNIT_CASE(vfio_pci_cfg_bar_sizing),
	KUNIT_CASE(vfio_pci_cfg_msi_flags),
	KUNIT_CASE(vfio_pci_cfg_pieces),
	{}
};

static struct kunit_suite vfio_pci_config_suite = {
	.name = "vfio_pci_config",
	.init = vfio_test_pci_init,
	.exit = vfio_test_pci_exit,
	.test_cases = vfio_pci_config_cases,
};

kunit_test_suite(vfio_pci_config_suite);
